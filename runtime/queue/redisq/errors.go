// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// wrap turns an error of a Redis call into the package's errors: ErrClosed
// after Close, the context's error, a *queue.UnavailableError when Redis
// could not be reached, else a command error naming what failed.
func (b *Broker) wrap(err error, op, key string) error {
	if err == nil {
		return nil
	}
	if b.isClosed() || errors.Is(err, redis.ErrClosed) {
		return queue.ErrClosed
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	what := fmt.Errorf("%s %q: %w", op, key, err)
	if key == "" {
		what = fmt.Errorf("%s: %w", op, err)
	}
	var rerr redis.Error
	if !errors.As(err, &rerr) || redis.HasErrorPrefix(err, "LOADING") ||
		redis.HasErrorPrefix(err, "MASTERDOWN") || redis.HasErrorPrefix(err, "TRYAGAIN") {
		return &queue.UnavailableError{Service: "Redis", Addr: b.addr, Err: what}
	}
	return fmt.Errorf("redisq: Redis at %s failed %w", b.addr, what)
}
