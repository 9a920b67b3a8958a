// SPDX-License-Identifier: AGPL-3.0-or-later

package queue

import (
	"context"
	"time"
)

// Poll calls try until it reports done or fails, sleeping between attempts
// for a delay that starts at lo and doubles up to hi. It returns try's
// error, or ctx.Err() when ctx ends first, or ErrClosed when stop is closed
// first (stop may be nil).
func Poll(ctx context.Context, stop <-chan struct{}, lo, hi time.Duration, try func() (done bool, err error)) error {
	delay := lo
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		done, err := try()
		if err != nil || done {
			return err
		}
		if timer == nil {
			timer = time.NewTimer(delay)
		} else {
			timer.Reset(delay)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-stop:
			return ErrClosed
		case <-timer.C:
		}
		delay = min(2*delay, hi)
	}
}
