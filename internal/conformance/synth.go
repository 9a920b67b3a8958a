// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// The IntelMQ modules configured by parameters rather than by code, which
// Synthesize writes a parser for.
const (
	moduleGenericCSV = "intelmq.bots.parsers.generic.parser_csv"
	moduleKeyValue   = "intelmq.bots.parsers.key_value.parser"
)

// SynthesizedParser is the name of the parser Synthesize writes.
const SynthesizedParser = "conformance_case"

// Synthesize writes, in this project's HCL, the parser that an IntelMQ
// parameter-driven module (generic CSV, key-value) becomes with the case's
// parameters: the port of that IntelMQ configuration. ok is false for the
// other modules. An error means the parameters cannot be ported.
func Synthesize(c *Case) (filename string, src []byte, ok bool, err error) {
	f := hclwrite.NewEmptyFile()
	block := f.Body().AppendNewBlock("parser", []string{SynthesizedParser})
	body := block.Body()
	body.SetAttributeValue("intelmq_module", cty.StringVal(c.Bot))
	switch c.Bot {
	case moduleGenericCSV:
		err = genericCSV(body, c.Parameters)
	case moduleKeyValue:
		err = keyValue(body, c.Parameters)
	default:
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, true, fmt.Errorf("porting the parameters of %s: %w", c.Bot, err)
	}
	if err := commonParams(body, c.Parameters); err != nil {
		return "", nil, true, err
	}
	return "conformance/" + c.Name + ".hcl", f.Bytes(), true, nil
}

// commonParams ports the parameters every IntelMQ parser has.
func commonParams(body *hclwrite.Body, params map[string]any) error {
	if df, ok := params["default_fields"]; ok && df != nil {
		v, err := stringMap(df)
		if err != nil {
			return fmt.Errorf("default_fields: %w", err)
		}
		body.SetAttributeValue("default_fields", v)
	}
	if cf, ok := params["copy_collector_provided_fields"]; ok && cf != nil {
		v, err := stringList(cf)
		if err != nil {
			return fmt.Errorf("copy_collector_provided_fields: %w", err)
		}
		body.SetAttributeValue("copy_collector_provided_fields", v)
	}
	return nil
}

// genericCSV ports IntelMQ generic CSV's parameters: they are the
// language's generic CSV attributes under the same names, except that the
// column list is `fields` and the reader options go to the csv block.
func genericCSV(body *hclwrite.Body, params map[string]any) error {
	csv := body.AppendNewBlock("csv", nil).Body()
	delim := ","
	if d, ok := params["delimiter"].(string); ok && d != "" {
		delim = d
	}
	csv.SetAttributeValue("delimiter", cty.StringVal(delim))
	csv.SetAttributeValue("comment", cty.ListVal([]cty.Value{cty.StringVal("#")}))
	csv.SetAttributeValue("lazy_quotes", cty.True)
	switch s := params["skip_header"].(type) {
	case bool:
		if s {
			csv.SetAttributeValue("skip_lines", cty.NumberIntVal(1))
		}
	case float64:
		csv.SetAttributeValue("skip_lines", cty.NumberIntVal(int64(s)))
	}
	if text, ok := params["filter_text"].(string); ok && text != "" {
		csv.SetAttributeValue("filter_text", cty.StringVal(text))
		if t, ok := params["filter_type"].(string); ok {
			csv.SetAttributeValue("filter_type", cty.StringVal(t))
		}
	}
	var columns []cty.Value
	switch cols := params["columns"].(type) {
	case string:
		for _, s := range strings.Split(cols, ",") {
			columns = append(columns, cty.StringVal(strings.TrimSpace(s)))
		}
	case []any:
		for _, s := range cols {
			str, ok := s.(string)
			if !ok {
				return fmt.Errorf("columns: %v is not a string", s)
			}
			columns = append(columns, cty.StringVal(str))
		}
	default:
		return fmt.Errorf("columns: missing or not a list")
	}
	body.SetAttributeValue("fields", cty.ListVal(columns))
	// IntelMQ's recover_line_csv: the skipped lines, then the row
	// re-encoded by Python's csv.writer, which writes commas whatever the
	// delimiter read, and the report's line ending.
	body.SetAttributeValue("raw", cty.StringVal("header + csvLine(row, ',', newline)"))
	if req, ok := params["columns_required"].([]any); ok {
		var vals []cty.Value
		for _, r := range req {
			b, ok := r.(bool)
			if !ok {
				return fmt.Errorf("columns_required: %v is not a bool", r)
			}
			vals = append(vals, cty.BoolVal(b))
		}
		body.SetAttributeValue("fields_required", cty.ListVal(vals))
	}
	for _, name := range []string{"default_url_protocol", "time_format", "type"} {
		if s, ok := params[name].(string); ok && s != "" {
			body.SetAttributeValue(name, cty.StringVal(s))
		}
	}
	for _, name := range []string{"type_translation", "column_regex_search", "data_type", "compose_fields"} {
		v, ok := params[name]
		if !ok || v == nil || v == "" {
			continue
		}
		m, err := stringMap(v)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if m.LengthInt() > 0 {
			body.SetAttributeValue(name, m)
		}
	}
	return nil
}

// keyValue ports IntelMQ's key-value parser: its keys table becomes the
// keyvalue block's keys and one optional mapping per key (the module adds
// with raise_failure=False); a time.source key holds epoch seconds or a
// date in any form.
func keyValue(body *hclwrite.Body, params map[string]any) error {
	keys, ok := params["keys"].(map[string]any)
	if !ok || len(keys) == 0 {
		return fmt.Errorf("keys: missing or not a table")
	}
	kv := body.AppendNewBlock("keyvalue", nil).Body()
	for _, name := range []string{"pair_separator", "kv_separator"} {
		if s, ok := params[name].(string); ok && s != "" {
			kv.SetAttributeValue(name, cty.StringVal(s))
		}
	}
	if b, ok := params["strip_quotes"].(bool); ok {
		kv.SetAttributeValue("strip_quotes", cty.BoolVal(b))
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var keyVals []cty.Value
	mappings := map[string]cty.Value{}
	for _, k := range names {
		field, ok := keys[k].(string)
		if !ok {
			return fmt.Errorf("keys: the field of %q is not a string", k)
		}
		keyVals = append(keyVals, cty.StringVal(k))
		value := "record[" + strconv.Quote(k) + "]"
		if field == "time.source" {
			value = fmt.Sprintf(`let v = %s; v == "" ? nil : (v matches "^[0-9]+$" ? fromEpoch(int(v)) : timeFormat("fuzzy", v))`, value)
		}
		if _, dup := mappings[field]; dup {
			return fmt.Errorf("keys: two keys fill %s", field)
		}
		mappings[field] = cty.StringVal(value)
	}
	kv.SetAttributeValue("keys", cty.ListVal(keyVals))
	body.SetAttributeValue("optional", cty.ObjectVal(mappings))
	return nil
}

// stringMap converts a table of strings, or its JSON text, to an HCL
// object.
func stringMap(v any) (cty.Value, error) {
	if s, ok := v.(string); ok {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return cty.NilVal, err
		}
		v = m
	}
	m, ok := v.(map[string]any)
	if !ok {
		return cty.NilVal, fmt.Errorf("%v is not a table", v)
	}
	out := map[string]cty.Value{}
	for k, x := range m {
		switch t := x.(type) {
		case string:
			out[k] = cty.StringVal(t)
		case bool:
			out[k] = cty.BoolVal(t)
		case float64:
			out[k] = cty.NumberFloatVal(t)
		default:
			return cty.NilVal, fmt.Errorf("the value of %q is %T, not a string, number or bool", k, x)
		}
	}
	if len(out) == 0 {
		return cty.EmptyObjectVal, nil
	}
	return cty.ObjectVal(out), nil
}

// stringList converts a list of strings to an HCL list.
func stringList(v any) (cty.Value, error) {
	l, ok := v.([]any)
	if !ok {
		return cty.NilVal, fmt.Errorf("%v is not a list", v)
	}
	var out []cty.Value
	for _, x := range l {
		s, ok := x.(string)
		if !ok {
			return cty.NilVal, fmt.Errorf("%v is not a string", x)
		}
		out = append(out, cty.StringVal(s))
	}
	if len(out) == 0 {
		return cty.ListValEmpty(cty.String), nil
	}
	return cty.ListVal(out), nil
}
