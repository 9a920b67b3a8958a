// SPDX-License-Identifier: AGPL-3.0-or-later

package streamloop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// The delays between reconnections: the first, doubled after each failure
// up to the last.
const (
	FirstRetryDelay = time.Second
	MaxRetryDelay   = time.Minute
)

// Config is the limits of a collection, from the collector's parameters.
type Config struct {
	// Retries is how many failures in a row are retried; a message
	// received resets the count.
	Retries int
	// MaxDuration ends the collection after this long; 0 for no limit.
	MaxDuration time.Duration
	// MaxReports ends the collection after this many reports; 0 for no
	// limit.
	MaxReports int64
}

// Progress is what a collection did so far; the session updates it.
type Progress struct {
	// Received counts the messages read, whatever became of them: a
	// session that received any resets the count of failures.
	Received int64
	// Sent counts the reports emitted.
	Sent int64
	// Skipped counts the messages that were not sent, for the log.
	Skipped int64
}

// Full reports whether max_reports is reached; a session returns nil then.
func (p *Progress) Full(cfg Config) bool { return cfg.MaxReports > 0 && p.Sent >= cfg.MaxReports }

// String is the summary of the log lines, e.g. "3 reports sent".
func (p *Progress) String() string {
	if p.Skipped > 0 {
		return fmt.Sprintf("%d reports sent, %d messages skipped", p.Sent, p.Skipped)
	}
	return fmt.Sprintf("%d reports sent", p.Sent)
}

// Session connects once and reads until the stream ends. The connection
// lives in sctx, which max_duration cancels; reports are emitted in ctx, so
// a message read whole is still stored then. It returns nil when the
// server ended the stream or max_reports is reached, Ended(reason) when the
// server ended it with a reason worth logging, Fatal(err) for an error that
// ends the collection at once (a failed Emit, a refused request), and any
// other error for a broken stream, which is retried.
type Session func(sctx, ctx context.Context, p *Progress) error

// Fatal marks err as ending the collection without retries; Run returns
// err itself.
func Fatal(err error) error { return &fatalError{err} }

type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }
func (e *fatalError) Unwrap() error { return e.err }

// Ended marks reason as the server's clean end of the stream.
func Ended(reason error) error { return &endedError{reason} }

type endedError struct{ reason error }

func (e *endedError) Error() string { return e.reason.Error() }
func (e *endedError) Unwrap() error { return e.reason }

// Run runs sessions until the collection ends and returns nil, ctx's error
// when the bot stops, the error of a Fatal, or the last error when the
// failures in a row exceed cfg.Retries. display names the stream in the
// error (without credentials); log receives the bot's log lines.
func Run(ctx context.Context, clock botapi.Clock, log *slog.Logger, cfg Config, display string, session Session) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var expired atomic.Bool
	if cfg.MaxDuration > 0 {
		go func() {
			if clock.Sleep(sctx, cfg.MaxDuration) == nil {
				expired.Store(true)
				cancel()
			}
		}()
	}
	var p Progress
	stoppedByDuration := func() error {
		log.Info(fmt.Sprintf("Stream stopped after max_duration %s, %s.", cfg.MaxDuration, &p))
		return nil
	}
	failures := 0
	delay := FirstRetryDelay
	for {
		before := p.Received
		err := session(sctx, ctx, &p)
		var fatal *fatalError
		var ended *endedError
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case expired.Load():
			return stoppedByDuration()
		case p.Full(cfg):
			log.Info(fmt.Sprintf("Stream stopped after max_reports, %s.", &p))
			return nil
		case err == nil:
			log.Info(fmt.Sprintf("Stream stopped, %s.", &p))
			return nil
		case errors.As(err, &ended):
			log.Info(fmt.Sprintf("Stream stopped: %v, %s.", ended.reason, &p))
			return nil
		case errors.As(err, &fatal):
			return fatal.err
		}
		if p.Received > before {
			failures, delay = 0, FirstRetryDelay
		}
		failures++
		if failures > cfg.Retries {
			return fmt.Errorf("the stream at %s failed %d times in a row: %w", display, failures, err)
		}
		log.Info(fmt.Sprintf("Got error %v, reconnecting in %s (consecutive error count %d <= %d).", err, delay, failures, cfg.Retries))
		if err := clock.Sleep(sctx, delay); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return stoppedByDuration()
		}
		delay = min(2*delay, MaxRetryDelay)
	}
}
