// SPDX-License-Identifier: AGPL-3.0-or-later

package export

import (
	"encoding/json"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// The names of the export parameters, as in IntelMQ.
const (
	ParamSingleKey    = "single_key"
	ParamKeepRaw      = "keep_raw_field"
	ParamHierarchical = "hierarchical_output"
	ParamWithType     = "message_with_type"
)

// Params returns the declarations of the export parameters, for the specs
// of the bots that use Options.
func Params() []botapi.Param {
	return []botapi.Param{
		{Name: ParamHierarchical, Type: botapi.TypeBool, Default: false,
			Doc: "Write nested objects ({\"source\": {\"ip\": ...}}) instead of dotted keys."},
		{Name: ParamWithType, Type: botapi.TypeBool, Default: false,
			Doc: "Add \"__type\": \"Event\" to every line."},
		{Name: ParamKeepRaw, Type: botapi.TypeBool, Default: false,
			Doc: "Keep the raw field, which is removed by default."},
		{Name: ParamSingleKey, Type: botapi.TypeString, Default: "",
			Doc: "Write only this field's value instead of the whole event: \"raw\" writes the decoded original data, \"output\" the parsed output field."},
	}
}

// Options are the export parameters of one bot.
type Options struct {
	SingleKey    string
	KeepRaw      bool
	Hierarchical bool
	WithType     bool
	// order remembers the sorted order of the keys between the messages
	// of one bot (message.KeyOrder); nil sorts every message afresh.
	order *message.KeyOrder
}

// FromParams reads the export parameters.
func FromParams(p botapi.Params) Options {
	return Options{
		SingleKey:    p.String(ParamSingleKey),
		KeepRaw:      p.Bool(ParamKeepRaw),
		Hierarchical: p.Bool(ParamHierarchical),
		WithType:     p.Bool(ParamWithType),
		order:        new(message.KeyOrder),
	}
}

// Check reports a single_key that is not a field of schema s (nil: the
// default).
func (o Options) Check(s *harmonization.Schema) error {
	if o.SingleKey == "" {
		return nil
	}
	return botapi.CheckFieldNames(s, ParamSingleKey, []string{o.SingleKey})
}

// Append appends the text IntelMQ's export_event(event, return_type=str)
// gives for msg, without a newline: to_json of the event (keys sorted,
// UTF-8 unescaped, raw removed unless KeepRaw), or with SingleKey only
// that field as Python's str() (a missing field is "None", raw is decoded,
// output is parsed when it holds a JSON string). msg loses its raw field
// unless KeepRaw, as in IntelMQ.
func (o Options) Append(dst []byte, msg *message.Message) ([]byte, error) {
	switch o.SingleKey {
	case "":
	case "raw":
		if !msg.Has("raw") {
			return dst, nil
		}
		text, err := msg.RawText()
		if err != nil {
			return dst, err
		}
		return append(dst, text...), nil
	case "output":
		v, ok := msg.Get("output")
		if !ok {
			return append(dst, "None"...), nil
		}
		return append(dst, outputText(v.Str())...), nil
	default:
		v, ok := msg.Get(o.SingleKey)
		if !ok {
			return append(dst, "None"...), nil
		}
		return append(dst, harmonization.PyStr(v)...), nil
	}
	if !o.KeepRaw {
		msg.Delete("raw")
	}
	return msg.AppendJSONWith(dst, message.JSONOptions{Hierarchical: o.Hierarchical, WithType: o.WithType, Order: o.order}), nil
}

// outputText is IntelMQ's handling of single_key "output": the decoded
// value when the field holds a JSON string, else the field as it is.
func outputText(s string) string {
	var decoded any
	if err := json.Unmarshal([]byte(s), &decoded); err != nil {
		return s
	}
	if text, ok := decoded.(string); ok {
		return text
	}
	return s
}
