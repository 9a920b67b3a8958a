// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"errors"
	"fmt"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ErrMalformed is wrapped by the error dumped for a message that is not a
// valid message of the type the bot reads.
var ErrMalformed = errors.New("malformed message")

// attempt is the Out of one processing attempt.
type attempt struct {
	*outbox
	r *Runner
}

func (a attempt) DumpRecord(msg []byte, err error) { a.r.dumpRecord(msg, err) }

// processOne processes one raw message with IntelMQ's retry semantics
// (§3.4). ctx is the stop signal, work the context of the processing; pre,
// when not nil, is raw already decoded (and prepared) for the first
// attempt.
func (r *Runner) processOne(ctx, work context.Context, raw []byte, pre *message.Message) (outcome, error) {
	o := r.cfg.Options
	skip, failures := 0, 0
	dumpMark := len(r.dumps)
	for {
		msg := pre
		pre = nil
		if msg == nil {
			if err := r.decode(raw); err != nil {
				return r.malformed(raw, err)
			}
			msg = r.msg
		}
		r.out.begin(skip)
		// A pointer to the runner's attempt, where a fresh value would be
		// allocated for the interface every time.
		err := r.cfg.Handler.Handle(work, msg, &r.att)
		if err == nil {
			r.tally.add(r.out.commit())
			r.since++
			return done, nil
		}
		skip = r.out.rollback()
		r.dumps = r.dumps[:dumpMark]
		r.stats.add(0, 1, 0, nil, nil)
		failures++
		if errors.Is(err, botapi.ErrFatal) {
			logTraceback(r.log, "Bot has found a problem it cannot recover from.", err, true)
			return fatal, err
		}
		if work.Err() != nil {
			return interrupted, err
		}
		permanent := isPermanent(err)
		r.logFailure(err, msg)
		if !permanent && failures <= o.ErrorMaxRetries {
			r.log.Info(fmt.Sprintf("Retrying the message in %s (retry %d of %d).", o.ErrorRetryDelay, failures, o.ErrorMaxRetries))
			if r.env.Clock.Sleep(ctx, o.ErrorRetryDelay) != nil {
				return interrupted, err
			}
			continue
		}
		return r.giveUp(raw, err)
	}
}

// decode reads raw into the reused message and checks its type.
func (r *Runner) decode(raw []byte) error { return r.decodeInto(r.msg, raw) }

// decodeInto reads raw into m and checks its type. raw is a message of a
// received batch, which the runner owns and never changes, so m's strings
// share its memory (message.Decoder.DecodeShared); in a trusted batch its
// values are not checked again (message.Decoder.DecodeTrusted).
func (r *Runner) decodeInto(m *message.Message, raw []byte) error {
	decode := r.dec.DecodeShared
	if r.trusted {
		decode = r.dec.DecodeTrusted
	}
	if err := decode(m, raw); err != nil {
		return err
	}
	want := harmonization.Event
	if r.cfg.Kind == plan.KindParser {
		want = harmonization.Report
	}
	if t := m.Type(); t != want {
		return fmt.Errorf("bot %s reads messages of type %s but received a %s", r.cfg.ID, want, t)
	}
	return nil
}

// isPermanent reports whether retrying err is useless: a bot said so, or
// a value violates the harmonization (IntelMQ's InvalidValue).
func isPermanent(err error) bool {
	return errors.Is(err, botapi.ErrPermanent) || errors.Is(err, harmonization.ErrInvalidValue) ||
		errors.Is(err, message.ErrDecode)
}

func (r *Runner) logFailure(err error, msg *message.Message) {
	line := "Bot has found a problem."
	if errors.Is(err, harmonization.ErrInvalidValue) {
		line = "Found an invalid value that violates the harmonization rules."
	}
	logTraceback(r.log, line, err, r.cfg.Options.ErrorLogException)
	if r.cfg.Options.ErrorLogMessage {
		r.log.Info(fmt.Sprintf("Current Message(event): %s.", msg.AppendWire(nil)))
	}
}

// dumpEntry is the dump of the received message raw, in IntelMQ's wire
// form also when it came in the compact form of the embedded queue.
func (r *Runner) dumpEntry(raw []byte, err error) dump.Entry {
	return dump.NewEntry(r.env.Clock.Now(), r.cfg.ID, r.cfg.Source, message.WireForm(r.env.Schema, raw), err)
}

// malformed moves a message that cannot be decoded aside: it is dumped
// (always: it leaves the queue) and acknowledged with the batch; the bot
// goes on. IntelMQ stops on an unknown key; we never lose the message and
// never block the queue behind it.
func (r *Runner) malformed(raw []byte, err error) (outcome, error) {
	err = fmt.Errorf("%w: %w", ErrMalformed, err)
	r.stats.add(0, 1, 0, nil, nil)
	logTraceback(r.log, "Could not decode message from pipeline, dumping it. No retries useful.", err, true)
	r.dumps = append(r.dumps, r.dumpEntry(raw, err))
	return done, nil
}

// giveUp handles a message whose retries are exhausted (or useless): dump
// it, send the original to "_on_error" when routed, and pass or stop.
func (r *Runner) giveUp(raw []byte, err error) (outcome, error) {
	if r.cfg.Options.ErrorDumpMessage {
		r.log.Info("Dumping message to dump file.")
		r.dumps = append(r.dumps, r.dumpEntry(raw, err))
	} else {
		r.log.Warn("Message will be removed from the pipeline and not dumped to the disk. Set error_dump_message to true to save the message on disk.")
	}
	if r.cfg.Router.Routed(botapi.ErrorPath) {
		if derr := r.decode(raw); derr == nil {
			r.out.begin(0)
			if serr := r.out.Send(botapi.ErrorPath, r.msg); serr != nil {
				r.out.rollback()
				r.log.Error(fmt.Sprintf("Cannot send the failed message to path _on_error: %v.", trimDot(serr.Error())))
			} else {
				r.stats.add(0, 0, 0, r.cfg.Router.Paths(), r.out.commit())
			}
		}
	}
	if r.cfg.Options.ErrorProcedure == Stop {
		return stopBot, fmt.Errorf("error_procedure is stop and a message failed: %w", err)
	}
	return done, nil
}
