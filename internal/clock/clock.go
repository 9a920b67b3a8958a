// SPDX-License-Identifier: AGPL-3.0-or-later

// Package clock holds the two implementations of botapi.Clock: the system
// clock, injected by the command line, and a manual clock for tests, whose
// sleeps return at once and advance its time. It is the only place of the
// runtime that reads the system time. It imports only the standard library.
package clock

import (
	"context"
	"sync"
	"time"
)

// System is the real clock.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (System) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Manual is a clock for tests: Now returns a fixed time that only Advance
// and Sleep move; Sleep returns at once (unless ctx is done) after
// advancing the time by d and recording it. It is safe for concurrent use.
type Manual struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

// NewManual returns a manual clock set to t.
func NewManual(t time.Time) *Manual { return &Manual{now: t} }

// Now returns the clock's time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Advance moves the clock forward by d.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	m.now = m.now.Add(d)
	m.mu.Unlock()
}

// Sleep advances the clock by d and records the sleep; it returns
// ctx.Err() without advancing when ctx is done.
func (m *Manual) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	m.now = m.now.Add(d)
	m.sleeps = append(m.sleeps, d)
	m.mu.Unlock()
	return nil
}

// Sleeps returns the durations slept so far, in order.
func (m *Manual) Sleeps() []time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]time.Duration(nil), m.sleeps...)
}
