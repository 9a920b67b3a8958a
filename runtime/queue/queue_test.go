// SPDX-License-Identifier: AGPL-3.0-or-later

package queue_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

func TestInternalName(t *testing.T) {
	if got := queue.InternalName("deduplicator-expert-queue"); got != "deduplicator-expert-queue-internal" {
		t.Fatalf("InternalName = %q", got)
	}
}

func TestOptionsLimit(t *testing.T) {
	o := queue.Options{MaxLen: 10, Limits: map[string]int{"big": 1000, "free": 0}}
	for q, want := range map[string]int{"big": 1000, "free": 0, "other": 10} {
		if got := o.Limit(q); got != want {
			t.Errorf("Limit(%q) = %d, want %d", q, got, want)
		}
	}
	if got := (queue.Options{}).Limit("x"); got != 0 {
		t.Errorf("zero Options: Limit = %d, want 0 (unlimited)", got)
	}
	if err := (queue.Options{Limits: map[string]int{"q": -2}}).Validate(); err == nil {
		t.Error("Validate accepted a negative limit")
	}
	if err := (queue.Options{MaxLen: -1}).Validate(); err == nil {
		t.Error("Validate accepted a negative MaxLen")
	}
}

func TestOptionsPoll(t *testing.T) {
	lo, hi := queue.Options{}.Poll()
	if lo != queue.DefaultPollMin || hi != queue.DefaultPollMax {
		t.Errorf("default Poll() = %v, %v", lo, hi)
	}
	lo, hi = queue.Options{PollMin: time.Second, PollMax: time.Millisecond}.Poll()
	if lo != time.Second || hi != time.Second {
		t.Errorf("Poll() with max < min = %v, %v; want max raised to min", lo, hi)
	}
}

func TestPoll(t *testing.T) {
	ctx := context.Background()
	calls := 0
	err := queue.Poll(ctx, nil, time.Microsecond, time.Microsecond, func() (bool, error) {
		calls++
		return calls == 3, nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("Poll = %v after %d calls, want nil after 3", err, calls)
	}
	err = queue.Poll(ctx, nil, time.Microsecond, time.Microsecond, func() (bool, error) { return false, io.EOF })
	if !errors.Is(err, io.EOF) {
		t.Fatalf("Poll returned %v, want the try's error", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err = queue.Poll(cctx, nil, time.Hour, time.Hour, func() (bool, error) { return false, nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Poll with a cancelled context = %v", err)
	}
	stop := make(chan struct{})
	close(stop)
	err = queue.Poll(ctx, stop, time.Hour, time.Hour, func() (bool, error) { return false, nil })
	if !errors.Is(err, queue.ErrClosed) {
		t.Fatalf("Poll with a closed stop channel = %v", err)
	}
}

func TestUnavailableError(t *testing.T) {
	var err error = &queue.UnavailableError{Service: "Redis", Addr: "redis://h:6379/2", Err: io.ErrUnexpectedEOF}
	if got, want := err.Error(), "cannot reach Redis at redis://h:6379/2: unexpected EOF"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, queue.ErrUnavailable) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("UnavailableError matches neither ErrUnavailable nor its cause")
	}
	if errors.Is(err, queue.ErrClosed) {
		t.Error("UnavailableError matches ErrClosed")
	}
}

func TestChecks(t *testing.T) {
	if !errors.Is(queue.CheckName(""), queue.ErrInvalidName) || queue.CheckName("a-queue") != nil {
		t.Error("CheckName")
	}
	err := queue.CheckMessages("q", [][]byte{[]byte("a"), {}})
	if !errors.Is(err, queue.ErrEmptyMessage) || queue.CheckMessages("q", [][]byte{[]byte("a")}) != nil {
		t.Errorf("CheckMessages: %v", err)
	}
}
