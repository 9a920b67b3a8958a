// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/broker"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// The crash test's child is this test binary, re-executed with these
// variables set: it runs a bot (a Runner with a handler that completes
// each event's taxonomy) from crashIn to crashOut until both of crashIn's
// queues are empty.
const (
	crashBrokerEnv = "RUNNER_CRASH_BROKER"
	crashDumpsEnv  = "RUNNER_CRASH_DUMPS"
	crashIn        = "crash-bot-queue"
	crashOut       = "crash-out-queue"
	crashBatch     = 500
)

func TestMain(m *testing.M) {
	if url, ok := os.LookupEnv(crashBrokerEnv); ok {
		os.Exit(crashChild(url, os.Getenv(crashDumpsEnv)))
	}
	os.Exit(m.Run())
}

// TestCrashEmbedded and TestCrashRedis kill a bot process with SIGKILL at
// random moments while 100k events flow through it, restart it each time,
// and check that every input reached the output, with at most one batch
// of duplicates per kill.
func TestCrashEmbedded(t *testing.T) {
	testCrash(t, "file://"+t.TempDir())
}

func TestCrashRedis(t *testing.T) {
	testCrash(t, redistest.Start(t)+"?db=2")
}

func testCrash(t *testing.T, url string) {
	n, kills := 100_000, 10
	if testing.Short() {
		n, kills = 20_000, 4
	}
	dumps := t.TempDir()
	fillCrash(t, url, n)
	killed := 0
	for i := 0; i < kills; i++ {
		if !runCrashChild(t, url, dumps, true) {
			killed++
		}
	}
	runCrashChild(t, url, dumps, false)
	seen := readCrashOutput(t, url, n)
	dups := 0
	for i, c := range seen {
		if c == 0 {
			t.Fatalf("event %d was lost", i)
		}
		dups += c - 1
	}
	if dups > killed*crashBatch {
		t.Errorf("%d duplicates after %d kills; at most %d (one batch per kill) allowed", dups, killed, killed*crashBatch)
	}
	if entries, _, _ := dump.Dir(dumps).Read("crash-bot"); len(entries) != 0 {
		t.Errorf("%d messages were dumped", len(entries))
	}
	t.Logf("%d events, %d kills, %d duplicates", n, killed, dups)
}

func fillCrash(t *testing.T, url string, n int) {
	b, err := broker.Open(url, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s := harmonization.Default()
	var batch [][]byte
	for i := 0; i < n; i++ {
		m := message.NewEvent(s)
		if err := m.Add("extra.n", harmonization.Int(int64(i))); err != nil {
			t.Fatal(err)
		}
		if err := m.AddString("classification.type", "scanner"); err != nil {
			t.Fatal(err)
		}
		batch = append(batch, m.AppendWire(nil))
		if len(batch) == 1000 || i == n-1 {
			if err := b.Send(context.Background(), crashIn, batch...); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
}

// runCrashChild runs the child; with kill it SIGKILLs it after a random
// moment once it is working. It reports whether the child finished itself.
func runCrashChild(t *testing.T, url, dumps string, kill bool) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashBrokerEnv+"="+url, crashDumpsEnv+"="+dumps)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &limitedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready, exited := make(chan struct{}), make(chan error, 1)
	go func() {
		r := bufio.NewReader(stdout)
		if _, err := r.ReadString('\n'); err == nil {
			close(ready)
		}
		_, _ = io.Copy(io.Discard, r)
		exited <- cmd.Wait()
	}()
	if kill {
		select {
		case <-ready:
			time.Sleep(time.Duration(20+rand.IntN(200)) * time.Millisecond)
			_ = cmd.Process.Kill()
		case err := <-exited:
			exited <- err
		}
	}
	err = <-exited
	var exit *exec.ExitError
	if kill && errors.As(err, &exit) && !exit.Exited() {
		return false
	}
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, stderr)
	}
	return true
}

// limitedBuffer keeps the first 64 KiB written to it.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return string(l.b) }

func readCrashOutput(t *testing.T, url string, n int) []int {
	b, err := broker.Open(url, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	total, err := b.Len(ctx, crashOut)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.Consumer(crashOut, queue.InternalName(crashOut))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := harmonization.Default()
	seen := make([]int, n)
	m := message.NewEvent(s)
	for got := 0; got < total; {
		bt, err := c.Receive(ctx, 5000)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range bt.Messages() {
			if err := m.DecodeInto(w); err != nil {
				t.Fatalf("output %q: %v", w, err)
			}
			if m.GetString("classification.taxonomy") != "information-gathering" {
				t.Fatalf("output %q was not processed", w)
			}
			v, _ := m.Get("extra.n")
			seen[v.Int()]++
			got++
		}
		if err := bt.Ack(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return seen
}

// crashChild runs the bot until its queues are empty; it prints "ready"
// once it runs.
func crashChild(url, dumps string) int {
	b, err := broker.Open(url, queue.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer b.Close()
	s := harmonization.Default()
	clk := clock.System{}
	h := handlerFunc(func(_ context.Context, in *message.Message, out Out) error {
		t, _ := in.Get("classification.type")
		if err := in.AddString("classification.taxonomy", harmonization.TaxonomyOf(t.Str())); err != nil {
			return err
		}
		return out.Send(botapi.DefaultPath, in)
	})
	o := DefaultBotOptions()
	o.BatchSize = crashBatch
	r, err := New(Config{ID: "crash-bot", Kind: plan.KindExpert, Source: crashIn, Router: NewPathRouter(map[string][]string{"_default": {crashOut}}, false),
		Options: o, Handler: h}, Env{Broker: b, Schema: s, Clock: clk, Dumps: dump.Dir(dumps),
		Logger: botlog.New(io.Discard, "crash-bot", slog.LevelInfo, clk)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	fmt.Println("ready")
	bg := context.Background()
	for {
		select {
		case err := <-done:
			fmt.Fprintln(os.Stderr, "bot stopped:", err)
			return 2
		case <-time.After(200 * time.Millisecond):
		}
		in, _ := b.Len(bg, crashIn)
		internal, _ := b.Len(bg, queue.InternalName(crashIn))
		if in == 0 && internal == 0 {
			cancel()
			if err := <-done; err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
			return 0
		}
	}
}
