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
	var badErr error
	bad := func(b parse.BadRecord) {
		if badErr != nil {
			return
		}
		err := fmt.Errorf("line %d: %w", b.Line, b.Err)
		logTraceback(h.log, "Failed to parse line.", err, true)
		rep := in.Clone()
		if e := message.SetRawText(rep, b.Report()); e != nil {
			badErr = fmt.Errorf("building the report of bad line %d: %w", b.Line, e)
			return
		}
		out.DumpRecord(rep.AppendWire(nil), err)
		if out.Routed(botapi.ErrorPath) {
			if e := out.Send(botapi.ErrorPath, rep); e != nil {
				badErr = e
			}
		}
	}
	// Send encodes each event at once (botapi.Sender), so they are lent.
	emit := func(ev *message.Message) error {
		if badErr != nil {
			return badErr
		}
		return out.Send(botapi.DefaultPath, ev)
	}
	st, err := h.x.RunLent(ctx, in, emit, bad)
	if errors.Is(err, parse.ErrNoRaw) {
		h.log.Warn("Report without raw field received. Possible bug or misconfiguration in previous bots.")
		return nil
	}
	if err == nil {
		err = badErr
	}
	if err != nil {
		return fmt.Errorf("parser %s: %w", h.name, err)
	}
	h.log.Info(fmt.Sprintf("Sent %d events and found %d problem(s).", st.Events, st.Bad))
	return nil
}
