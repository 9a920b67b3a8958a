// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/parse"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ParserBotOptions are IntelMQ's parser-wide parameters of a Go parser bot
// (botapi.ParserParams), applied by the runner around the bot's Parse.
type ParserBotOptions struct {
	// DefaultFields are added to every event that does not have them,
	// after the parser filled it (IntelMQ's default_fields), in key order.
	DefaultFields []DefaultField
	// CopyFields are the report keys copied into every new event besides
	// IntelMQ's eight (copy_collector_provided_fields).
	CopyFields []string
}

// DefaultField is one entry of default_fields.
type DefaultField struct {
	Key   string
	Value harmonization.Value
}

// NewParserBotOptions reads the parser-wide parameters from p and checks
// every default field against the schema, as IntelMQ does at start-up: an
// unknown key or a value its field rejects is an error.
func NewParserBotOptions(p botapi.Params, schema *harmonization.Schema) (ParserBotOptions, error) {
	var o ParserBotOptions
	if p == nil {
		return o, nil
	}
	if schema == nil {
		schema = harmonization.Default()
	}
	defaults := p.Map(botapi.ParamDefaultFields)
	keys := make([]string, 0, len(defaults))
	for k := range defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	probe := message.NewEvent(schema)
	for _, k := range keys {
		v := harmonization.String(defaults[k])
		if err := probe.Add(k, v); err != nil {
			return o, fmt.Errorf("%s: %w", botapi.ParamDefaultFields, err)
		}
		o.DefaultFields = append(o.DefaultFields, DefaultField{Key: k, Value: v})
	}
	o.CopyFields = p.List(botapi.ParamCopyCollectorProvidedFields)
	return o, nil
}

// RunParserBot runs a Go parser bot over one report outside a queue (the
// handler of a parser bot node, "intelmq parse", the conformance runner):
// emit receives each event the bot sends, complete with its raw and
// default fields, and owns it only until it returns; bad receives each bad
// record. Records counts events plus bad records; the bot decides what a
// record is.
//
// It returns parse.ErrNoRaw for a report without raw data, without
// calling the bot, and the bot's error, or emit's, otherwise.
func RunParserBot(ctx context.Context, p botapi.Parser, report *message.Message, o ParserBotOptions,
	emit func(*message.Message) error, bad func(parse.BadRecord)) (parse.Stats, error) {
	if _, ok := report.Get("raw"); !ok {
		return parse.Stats{}, parse.ErrNoRaw
	}
	r := &records{opts: o, tmpl: message.EventFromReport(report, o.CopyFields), emit: emit, bad: bad}
	err := p.Parse(ctx, report, r)
	if err == nil {
		err = r.err
	}
	r.st.Records = r.st.Events + r.st.Bad
	return r.st, err
}

// records is the botapi.Records of one Parse call.
type records struct {
	opts ParserBotOptions
	tmpl *message.Message
	emit func(*message.Message) error
	bad  func(parse.BadRecord)
	st   parse.Stats
	err  error // the first error of emit: every later Event returns it
}

var _ botapi.Records = (*records)(nil)

func (r *records) NewEvent() *message.Message { return r.tmpl.Clone() }

func (r *records) Event(ev *message.Message, raw string) error {
	if r.err != nil {
		return r.err
	}
	if ev == nil || ev.Type() != harmonization.Event {
		return errors.New("a parser bot sent something that is not an event")
	}
	if raw != "" {
		if err := message.SetRawText(ev, raw); err != nil {
			return err
		}
	}
	for _, d := range r.opts.DefaultFields {
		if _, err := ev.AddWith(d.Key, d.Value, message.AddOptions{Overwrite: message.OverwriteNo}); err != nil {
			return err
		}
	}
	if err := r.emit(ev); err != nil {
		r.err = err
		return err
	}
	r.st.Events++
	return nil
}

func (r *records) Bad(raw string, line int, err error) {
	r.st.Bad++
	if err == nil {
		err = errors.New("the parser rejected the record")
	}
	if r.bad != nil {
		r.bad(parse.BadRecord{Line: line, Raw: raw, Err: err})
	}
}

// parserBotHandler runs a Go parser bot over each report with the
// guarantees of the declared parsers' handler (see parserHandler): events
// go to the default path, each bad record is dumped as a report holding
// exactly its text and sent to "_on_error" when routed, and the report is
// acknowledged once all of that is sent. A retried report does not send
// its events twice: the runner skips the sends an earlier attempt already
// delivered, which holds as long as the bot is deterministic.
type parserBotHandler struct {
	p    botapi.Parser
	id   string
	opts ParserBotOptions
	log  *slog.Logger
}

// NewParserBotHandler returns the handler of a node whose parser is the Go
// parser bot p of type id (e.g. "parser.cleanmx"), with its parser-wide
// options.
func NewParserBotHandler(p botapi.Parser, id string, o ParserBotOptions, log *slog.Logger) Handler {
	return &parserBotHandler{p: p, id: id, opts: o, log: log}
}

func (h *parserBotHandler) Handle(ctx context.Context, in *message.Message, out Out) error {
	rs := &recordSink{in: in, out: out, log: h.log}
	st, err := RunParserBot(ctx, h.p, in, h.opts, rs.emit, rs.bad)
	return rs.finish("parser bot "+h.id, st, err)
}

// buildParserBot builds the unit of a parser node whose parser is a Go
// parser bot (n.Bot, of kind parser).
func buildParserBot(n *plan.Node, opts Options, env Env, router *Router, bo BotOptions) (Unit, error) {
	b, err := construct(n, opts, env)
	if err != nil {
		return nil, err
	}
	p, ok := b.(botapi.Parser)
	if !ok {
		closeBot(b, env.Logger)
		return nil, fmt.Errorf("bot type %s is not a parser", n.Bot.Type)
	}
	po, err := NewParserBotOptions(n.Bot.Params, opts.Schema)
	if err != nil {
		closeBot(b, env.Logger)
		return nil, err
	}
	bo.BatchSize = 1 // a report can be large: one at a time
	return New(Config{ID: n.ID, Kind: n.Kind, Source: n.Queue(), Internal: n.InternalQueue(),
		Router: router, Options: bo, Handler: NewParserBotHandler(p, n.Bot.Type, po, env.Logger), Bot: b}, env)
}
