// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/internal/redistest"
)

// TestTakeScriptWithForeignInternal: when the internal queue is not empty
// (another program wrote to it), the take script must not RENAME over it;
// it moves the oldest n messages, leaving both lists as n LMOVE RIGHT
// LEFT would, past the chunks of 1000 values of its LPUSH.
func TestTakeScriptWithForeignInternal(t *testing.T) {
	opts, err := redis.ParseURL(redistest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	for _, n := range []int{1, 2500} {
		for _, q := range []string{"ours", "theirs"} {
			c.Del(ctx, q, q+"-internal")
			c.LPush(ctx, q+"-internal", "foreign")
			for i := 0; i < n+3; i++ {
				c.LPush(ctx, q, fmt.Sprintf("message %d", i))
			}
		}
		for i := 0; i < n; i++ {
			if err := c.LMove(ctx, "theirs", "theirs-internal", "RIGHT", "LEFT").Err(); err != nil {
				t.Fatal(err)
			}
		}
		reply, err := takeScript.Run(ctx, c, []string{"ours", "ours-internal"}, n).Slice()
		if err != nil {
			t.Fatal(err)
		}
		if got, renamed := reply[0].(int64), reply[1].(int64); got != int64(n) || renamed != 0 {
			t.Errorf("n=%d: the script says it moved %d messages (renamed: %d)", n, got, renamed)
		}
		vals := reply[2].([]any)
		if len(vals) != n || vals[len(vals)-1] != "message 0" || vals[0] != fmt.Sprintf("message %d", n-1) {
			t.Errorf("n=%d: the script returned %d messages from %v to %v", n, len(vals), vals[0], vals[len(vals)-1])
		}
		for _, q := range []string{"", "-internal"} {
			ours := c.LRange(ctx, "ours"+q, 0, -1).Val()
			theirs := c.LRange(ctx, "theirs"+q, 0, -1).Val()
			if !slices.Equal(ours, theirs) {
				t.Fatalf("n=%d: list %q differs from LMOVEs:\n%q\nwant\n%q", n, "ours"+q, ours[:min(len(ours), 6)], theirs[:min(len(theirs), 6)])
			}
		}
	}
}
