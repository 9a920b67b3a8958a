// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// TestUnreachableRedisIsRetried starts a bot while its Redis is down: it
// logs a clear error and retries; once Redis is up it processes what
// arrives.
func TestUnreachableRedisIsRetried(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "redis.sock")
	b, err := redisq.Open("unix://"+sock+"?db=2", queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	logs := &logSink{}
	f := &fixture{t: t, broker: b, schema: harmonization.Default()}
	env := f.env()
	env.Clock = clock.System{}
	env.Logger = newTestLogger(logs)
	o := testOptions()
	o.ErrorRetryDelay = 20 * time.Millisecond
	r, err := New(Config{ID: "test-bot", Kind: plan.KindExpert, Options: o, Handler: passThrough(),
		Router: NewPathRouter(map[string][]string{"_default": {"out"}}, false)}, env)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- r.Run(ctx) }()
	for i := 0; i < 5000 && !strings.Contains(logs.String(), "Cannot receive from queue test-bot-queue, retrying in 20ms: "); i++ {
		time.Sleep(time.Millisecond)
	}
	if !strings.Contains(logs.String(), "cannot reach Redis at unix://"+sock) {
		t.Fatalf("no clear error logged:\n%s", logs)
	}

	srv := exec.Command("redis-server", "--port", "0", "--unixsocket", sock, "--save", "", "--appendonly", "no", "--dir", dir)
	if err := srv.Start(); err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	for i := 0; i < 5000; i++ {
		if err := b.Ping(context.Background()); err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	f.push("test-bot-queue", f.event("10.0.0.1"), f.event("10.0.0.2"))
	waitLen(t, b, "out", 2)
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
