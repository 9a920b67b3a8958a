// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"fmt"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Sent is one message a bot sent during ProcessMessage.
type Sent struct {
	// Path is the path the message went to.
	Path string
	// Queues are the destination queues of that path ("intelmq process"
	// without --dryrun writes the message to them).
	Queues []string
	// Message is the message in wire form.
	Message []byte
}

// Processed is what one ProcessMessage call did.
type Processed struct {
	// Sent lists the messages sent, in order.
	Sent []Sent
	// Dumps are the bad records a parser reported (not written anywhere).
	Dumps []dump.Entry
}

// ProcessMessage runs the bot of node n once, without queues, as
// IntelMQ's "intelmqctl run BOT process --msg": a consumer bot processes
// raw (one try, no retry), a collector collects once (raw is ignored). The
// bot is built, started and closed. The messages it sends are returned,
// not written. With opts.DryRun the bot is not flushed.
func ProcessMessage(ctx context.Context, n *plan.Node, opts Options, raw []byte) (*Processed, error) {
	o := opts
	o.Once = true
	u, err := buildNode(n, o)
	if err != nil {
		return nil, err
	}
	switch u := u.(type) {
	case *CollectorRunner:
		c := &captureOut{router: u.cfg.Router}
		if err := startBot(ctx, u.cfg.Collector, u.log, u.env.Clock, 0); err != nil {
			return nil, err
		}
		defer closeBot(u.cfg.Collector, u.log)
		err := u.cfg.Collector.Collect(ctx, captureEmitter{c})
		return &c.res, err
	case *Runner:
		if err := startBot(ctx, u.cfg.Bot, u.log, u.env.Clock, 0); err != nil {
			return nil, err
		}
		defer closeBot(u.cfg.Bot, u.log)
		if err := u.decode(raw); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		c := &captureOut{router: u.cfg.Router, r: u}
		if err := u.cfg.Handler.Handle(ctx, u.msg, c); err != nil {
			return &c.res, err
		}
		if opts.DryRun {
			return &c.res, nil
		}
		return &c.res, flushBot(ctx, u.cfg.Bot)
	}
	return nil, fmt.Errorf("bot %s cannot be run once", n.ID)
}

// DecodeInput reads a message given on the command line: IntelMQ wire
// JSON, where "__type" may be left out (a Report for a parser, an Event
// otherwise, as intelmqctl's --msg does). It returns the wire form.
func DecodeInput(schema *harmonization.Schema, kind plan.BotKind, data []byte) ([]byte, error) {
	def := harmonization.Event
	if kind == plan.KindParser {
		def = harmonization.Report
	}
	m, err := message.DecodeDefault(schema, data, def)
	if err != nil {
		return nil, err
	}
	return m.AppendWire(nil), nil
}

// captureOut is an Out that records what is sent.
type captureOut struct {
	router *Router
	r      *Runner
	rr     uint64
	res    Processed
}

func (c *captureOut) Send(path string, msg *message.Message) error {
	var queues []string
	hit := false
	err := c.router.Route(path, msg, &c.rr, func(p int, qs []int) {
		hit = true
		for _, q := range qs {
			queues = append(queues, c.router.Queues()[q])
		}
		c.res.Sent = append(c.res.Sent, Sent{Path: c.router.Paths()[p], Queues: queues, Message: msg.AppendWire(nil)})
		queues = nil
	})
	if err == nil && !hit && path == botapi.ErrorPath {
		return nil
	}
	return err
}

func (c *captureOut) Routed(path string) bool { return c.router.Routed(path) }

func (c *captureOut) DumpRecord(msg []byte, err error) {
	id, src := "", ""
	if c.r != nil {
		id, src = c.r.cfg.ID, c.r.cfg.Source
	}
	c.res.Dumps = append(c.res.Dumps, dump.Entry{BotID: id, SourceQueue: src, Traceback: dump.Traceback(err), Message: string(msg)})
}

type captureEmitter struct{ c *captureOut }

func (e captureEmitter) Emit(_ context.Context, report *message.Message) error {
	return e.c.Send(botapi.DefaultPath, report)
}
