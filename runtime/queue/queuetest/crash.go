// SPDX-License-Identifier: AGPL-3.0-or-later

package queuetest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// Environment variables that turn a re-executed test binary into the
// crash test's child.
const (
	crashStorageEnv = "QUEUETEST_CRASH_STORAGE"
	crashBatchEnv   = "QUEUETEST_CRASH_BATCH"
)

// Queue names of the crash test.
const (
	crashIn  = "crash-in-queue"
	crashOut = "crash-out-queue"
)

// crashIdle is how long the child waits on an empty source before it
// checks whether all work is done.
const crashIdle = 300 * time.Millisecond

// CrashConfig configures Crash.
type CrashConfig struct {
	// Storage prepares a storage in the parent process and returns its
	// name (a directory, a Redis URL). It is not called in the child.
	Storage func(t *testing.T) string
	// Open opens a broker on the named storage, in the parent and in the
	// child.
	Open func(storage string) (queue.Broker, error)
	// Messages is the number of messages to move (default 20000, 5000
	// with -short).
	Messages int
	// Batch is the child's batch size (default 100).
	Batch int
	// Kills is the number of times the child is killed (default 12, 4
	// with -short).
	Kills int
}

func (c *CrashConfig) defaults() {
	if c.Messages == 0 {
		c.Messages = 20000
		if testing.Short() {
			c.Messages = 5000
		}
	}
	if c.Batch == 0 {
		c.Batch = 100
	}
	if c.Kills == 0 {
		c.Kills = 12
		if testing.Short() {
			c.Kills = 4
		}
	}
}

// Crash checks that a consumer process killed with SIGKILL at random
// moments loses nothing. The parent fills a queue with numbered messages;
// a child process (this test binary, re-executed) moves them in batches to
// a second queue (Receive, Send, Ack) and is killed and restarted several
// times, then runs to the end. Every message must arrive, duplicates must
// number at most one batch per kill, and the first arrivals must keep the
// original order.
//
// Crash MUST be called first thing in a top-level test function: in the
// child it runs the child's loop and exits the process.
func Crash(t *testing.T, c CrashConfig) {
	c.defaults()
	if storage, ok := os.LookupEnv(crashStorageEnv); ok {
		crashChild(storage, c)
	}
	storage := c.Storage(t)
	fillCrashInput(t, c, storage)
	kills := 0
	for i := 0; i < c.Kills; i++ {
		finished := runCrashChild(t, c, storage, true)
		if finished {
			break
		}
		kills++
	}
	runCrashChild(t, c, storage, false)
	checkCrashOutput(t, c, storage, kills)
}

// fillCrashInput writes the numbered input messages.
func fillCrashInput(t *testing.T, c CrashConfig, storage string) {
	t.Helper()
	b, err := c.Open(storage)
	if err != nil {
		t.Fatalf("open broker: %v", err)
	}
	defer b.Close()
	for i := 0; i < c.Messages; i += 1000 {
		mustSend(t, b, crashIn, msgs(i, min(i+1000, c.Messages))...)
	}
}

// runCrashChild starts the child and, if kill, SIGKILLs it at a random
// moment after it opened the broker; otherwise it waits for the child to
// finish. It reports whether the child finished by itself.
func runCrashChild(t *testing.T, c CrashConfig, storage string, kill bool) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashStorageEnv+"="+storage, crashBatchEnv+"="+strconv.Itoa(c.Batch))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	// The child prints a line once it has opened the broker: a kill before
	// that would test nothing.
	ready := make(chan struct{})
	exited := make(chan error, 1)
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
			time.Sleep(time.Duration(1+rand.IntN(40)) * time.Millisecond)
			_ = cmd.Process.Kill()
		case err := <-exited:
			exited <- err
		}
	}
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if kill && errors.As(err, &exit) && !exit.Exited() {
			return false // killed as intended
		}
		if err != nil {
			t.Fatalf("child failed: %v\n%s", err, stderr.String())
		}
		return true
	case <-time.After(5 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("child did not finish within 5 minutes\n%s", stderr.String())
		return false
	}
}

// crashChild is the child process: it moves batches from crashIn to
// crashOut until both crashIn and its internal queue are empty, then exits
// the process with status 0. Any failure exits with status 2.
func crashChild(storage string, c CrashConfig) {
	fail := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "crash child: "+format+"\n", args...)
		os.Exit(2)
	}
	if n, err := strconv.Atoi(os.Getenv(crashBatchEnv)); err == nil {
		c.Batch = n
	}
	b, err := c.Open(storage)
	if err != nil {
		fail("open: %v", err)
	}
	cons, err := b.Consumer(crashIn, queue.InternalName(crashIn))
	if err != nil {
		fail("consumer: %v", err)
	}
	fmt.Println("ready")
	bg := context.Background()
	for {
		ctx, cancel := context.WithTimeout(bg, crashIdle)
		bt, err := cons.Receive(ctx, c.Batch)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			in, err1 := b.Len(bg, crashIn)
			internal, err2 := b.Len(bg, queue.InternalName(crashIn))
			if err := errors.Join(err1, err2); err != nil {
				fail("len: %v", err)
			}
			if in == 0 && internal == 0 {
				_ = cons.Close()
				_ = b.Close()
				os.Exit(0)
			}
			continue
		}
		if err != nil {
			fail("receive: %v", err)
		}
		if err := b.Send(bg, crashOut, bt.Messages()...); err != nil {
			fail("send: %v", err)
		}
		if err := bt.Ack(bg); err != nil {
			fail("ack: %v", err)
		}
	}
}

// checkCrashOutput checks the output queue after the child finished.
func checkCrashOutput(t *testing.T, c CrashConfig, storage string, kills int) {
	t.Helper()
	b, err := c.Open(storage)
	if err != nil {
		t.Fatalf("open broker: %v", err)
	}
	defer b.Close()
	wantLen(t, b, crashIn, 0)
	wantLen(t, b, queue.InternalName(crashIn), 0)
	cons, err := b.Consumer(crashOut, queue.InternalName(crashOut))
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	seen := make([]int, c.Messages)
	dups, last := 0, -1
	total, err := b.Len(context.Background(), crashOut)
	if err != nil {
		t.Fatal(err)
	}
	for got := 0; got < total; {
		bt := mustReceive(t, cons, 1000)
		for _, m := range bt.Messages() {
			n := number(t, m)
			if n < 0 || n >= c.Messages {
				t.Fatalf("unexpected message %q", m)
			}
			if seen[n]++; seen[n] > 1 {
				dups++
				continue
			}
			if n < last {
				t.Fatalf("message %d first arrived after %d: order lost", n, last)
			}
			last = n
		}
		got += len(bt.Messages())
		mustAck(t, bt)
	}
	for n, k := range seen {
		if k == 0 {
			t.Fatalf("message %d lost (%d kills, %d duplicates)", n, kills, dups)
		}
	}
	if dups > kills*c.Batch {
		t.Fatalf("%d duplicates after %d kills with batches of %d: more than one batch per kill", dups, kills, c.Batch)
	}
	t.Logf("%d messages moved in batches of %d; child killed %d times; %d duplicates", c.Messages, c.Batch, kills, dups)
}
