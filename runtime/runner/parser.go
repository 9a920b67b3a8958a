// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/parse"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// parserHandler runs a declared parser over each report (IntelMQ's
// ParserBot, §4.1): every good record's events go to the default path as
// soon as the record succeeds; every bad record becomes a report of its
// own (the header lines and the record's exact text), dumped and sent to
// "_on_error" when routed; the report is acknowledged after all of that
// is sent. A report retried after a failure does not send its events
// twice: the runner skips the sends a previous attempt already delivered.
type parserHandler struct {
	x      *parse.Executor
	name   string
	log    *slog.Logger
	schema *harmonization.Schema
}

// NewParserHandler prepares the handler of a parser node.
func NewParserHandler(p *plan.Parser, schema *harmonization.Schema, log *slog.Logger) (Handler, error) {
	x, err := parse.New(p)
	if err != nil {
		return nil, fmt.Errorf("parser %s: %w", p.Name, err)
	}
	return &parserHandler{x: x, name: p.Name, log: log, schema: schema}, nil
}

func (h *parserHandler) Handle(ctx context.Context, in *message.Message, out Out) error {
	rs := &recordSink{in: in, out: out, log: h.log}
	// Send encodes each event at once (botapi.Sender), so they are lent.
	st, err := h.x.RunLent(ctx, in, rs.emit, rs.bad)
	return rs.finish("parser "+h.name, st, err)
}

// recordSink takes what a parser (declared or a Go parser bot) makes of
// one report, as IntelMQ's ParserBot does: each event goes to the default
// path; each bad record is logged, dumped as a report of its own (the
// header lines and the record's exact text) and sent to "_on_error" when
// routed. The first error of that stops the run.
type recordSink struct {
	in  *message.Message
	out Out
	log *slog.Logger
	err error
}

func (rs *recordSink) emit(ev *message.Message) error {
	if rs.err != nil {
		return rs.err
	}
	return rs.out.Send(botapi.DefaultPath, ev)
}

func (rs *recordSink) bad(b parse.BadRecord) {
	if rs.err != nil {
		return
	}
	err := b.Err
	if b.Line > 0 {
		err = fmt.Errorf("line %d: %w", b.Line, b.Err)
	}
	logTraceback(rs.log, "Failed to parse line.", err, true)
	rep := rs.in.Clone()
	if e := message.SetRawText(rep, b.Report()); e != nil {
		rs.err = fmt.Errorf("building the report of a bad record: %w", e)
		return
	}
	rs.out.DumpRecord(rep.AppendWire(nil), err)
	if rs.out.Routed(botapi.ErrorPath) {
		if e := rs.out.Send(botapi.ErrorPath, rep); e != nil {
			rs.err = e
		}
	}
}

// finish turns the run's outcome into the handler's: a report without raw
// is acknowledged with IntelMQ's warning, an error (the run's, else the
// sink's) is returned prefixed with what ran, else the counts are logged.
func (rs *recordSink) finish(what string, st parse.Stats, err error) error {
	if errors.Is(err, parse.ErrNoRaw) {
		rs.log.Warn("Report without raw field received. Possible bug or misconfiguration in previous bots.")
		return nil
	}
	if err == nil {
		err = rs.err
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	rs.log.Info(fmt.Sprintf("Sent %d events and found %d problem(s).", st.Events, st.Bad))
	return nil
}
