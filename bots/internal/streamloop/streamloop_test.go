// SPDX-License-Identifier: AGPL-3.0-or-later

package streamloop

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/internal/clock"
)

// script returns a session that plays results in turn: each result is the
// messages received and reports sent in that session, and its error.
type result struct {
	received, sent int64
	err            error
}

func script(t *testing.T, results ...result) (Session, *int) {
	calls := 0
	return func(_, _ context.Context, p *Progress) error {
		if calls >= len(results) {
			t.Fatalf("session %d called; the script has %d", calls+1, len(results))
		}
		r := results[calls]
		calls++
		p.Received += r.received
		p.Sent += r.sent
		return r.err
	}, &calls
}

func run(t *testing.T, cfg Config, results ...result) (error, []time.Duration, string, int) {
	t.Helper()
	clk := clock.NewManual(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	var log bytes.Buffer
	session, calls := script(t, results...)
	err := Run(context.Background(), clk, slog.New(slog.NewTextHandler(&log, nil)), cfg, "test://stream", session)
	return err, clk.Sleeps(), log.String(), *calls
}

func TestRetriesWithGrowingDelayUntilTheLimit(t *testing.T) {
	broken := errors.New("broken")
	err, sleeps, log, calls := run(t, Config{Retries: 3},
		result{err: broken}, result{err: broken}, result{err: broken}, result{err: broken})
	if err == nil || !errors.Is(err, broken) || !strings.Contains(err.Error(), "test://stream failed 4 times in a row") {
		t.Errorf("error = %v", err)
	}
	if want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}; !slices.Equal(sleeps, want) {
		t.Errorf("sleeps = %v, want %v", sleeps, want)
	}
	if calls != 4 || !strings.Contains(log, "Got error broken, reconnecting in 4s (consecutive error count 3 <= 3).") {
		t.Errorf("%d sessions; log:\n%s", calls, log)
	}
}

func TestProgressResetsTheFailures(t *testing.T) {
	broken := errors.New("broken")
	err, sleeps, log, _ := run(t, Config{Retries: 1},
		result{err: broken}, result{received: 1, err: broken}, result{received: 2, sent: 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{time.Second, time.Second}; !slices.Equal(sleeps, want) {
		t.Errorf("sleeps = %v, want %v: a message received resets the delay and the count", sleeps, want)
	}
	if !strings.Contains(log, "Stream stopped, 2 reports sent.") {
		t.Errorf("log:\n%s", log)
	}
}

func TestFatalAndEnded(t *testing.T) {
	refused := errors.New("refused")
	err, sleeps, _, _ := run(t, Config{Retries: 5}, result{err: Fatal(refused)})
	if err != refused || len(sleeps) != 0 {
		t.Errorf("Fatal: error %v after sleeps %v, want the error itself at once", err, sleeps)
	}
	err, _, log, _ := run(t, Config{Retries: 5}, result{sent: 1, err: Ended(errors.New("the server said goodbye"))})
	if err != nil || !strings.Contains(log, "Stream stopped: the server said goodbye, 1 reports sent.") {
		t.Errorf("Ended: error %v; log:\n%s", err, log)
	}
}

func TestMaxReports(t *testing.T) {
	err, _, log, calls := run(t, Config{Retries: 5, MaxReports: 3},
		result{received: 2, sent: 2, err: errors.New("broken")}, result{received: 1, sent: 1})
	if err != nil || calls != 2 || !strings.Contains(log, "Stream stopped after max_reports, 3 reports sent.") {
		t.Errorf("error %v after %d sessions; log:\n%s", err, calls, log)
	}
}

func TestMaxDurationEndsTheSession(t *testing.T) {
	// The manual clock's Sleep returns at once: max_duration expires as
	// soon as the session runs, which must then end in its context, and
	// the loop stop rather than reconnect.
	clk := clock.NewManual(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	var log bytes.Buffer
	calls := 0
	session := func(sctx, _ context.Context, p *Progress) error {
		calls++
		<-sctx.Done()
		return sctx.Err()
	}
	err := Run(context.Background(), clk, slog.New(slog.NewTextHandler(&log, nil)), Config{Retries: 5, MaxDuration: time.Minute}, "s", session)
	if err != nil || calls != 1 || !strings.Contains(log.String(), "Stream stopped after max_duration 1m0s, 0 reports sent.") {
		t.Errorf("error %v after %d sessions; log:\n%s", err, calls, log.String())
	}
}

func TestStopReturnsTheContextError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	session := func(_, _ context.Context, _ *Progress) error {
		cancel()
		return errors.New("broken by the stop")
	}
	err := Run(ctx, clock.NewManual(time.Now()), slog.New(slog.DiscardHandler), Config{Retries: 5}, "s", session)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}
