// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisStatsDB is IntelMQ's statistics database number.
const RedisStatsDB = 3

// RedisStats is a StatsSink writing IntelMQ's statistics keys, so
// IntelMQ's manager shows Go bots too: "<bot-id>.stats.success",
// "<bot-id>.stats.failure", "<bot-id>.total.<path>" and
// "<bot-id>.temporary.<path>" (with a 2 second TTL).
type RedisStats struct {
	// Client is connected to the statistics database (normally db 3).
	Client redis.Cmdable
}

var _ StatsSink = RedisStats{}

// WriteStats sets the bot's keys in one pipelined round trip.
func (r RedisStats) WriteStats(ctx context.Context, s Snapshot) error {
	_, err := r.Client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for path, n := range s.Recent {
			p.Set(ctx, s.BotID+".temporary."+path, n, 2*time.Second)
		}
		for path, n := range s.Paths {
			p.Set(ctx, s.BotID+".total."+path, n, 0)
		}
		p.Set(ctx, s.BotID+".stats.success", s.Success, 0)
		p.Set(ctx, s.BotID+".stats.failure", s.Failure, 0)
		return nil
	})
	return err
}
