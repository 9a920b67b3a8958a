// SPDX-License-Identifier: AGPL-3.0-or-later

package sockq

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/memq"
)

// serve serves b on a socket in a temp dir and returns its path; the
// server stops at the end of the test.
func serve(t *testing.T, b queue.Broker) string {
	path, _ := serveStoppable(t, b)
	return path
}

// serveStoppable is serve that also returns a function that stops the
// server and waits until Serve returned; it may be called before the end
// of the test.
func serveStoppable(t *testing.T, b queue.Broker) (string, func()) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "control.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { Serve(ln, b); close(done) }()
	var once sync.Once
	stop := func() { once.Do(func() { ln.Close(); <-done }) }
	t.Cleanup(stop)
	return path, stop
}

func newBroker(t *testing.T, opts queue.Options) queue.Broker {
	t.Helper()
	b, err := memq.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func dial(t *testing.T, path string) *Client {
	t.Helper()
	c, err := Dial(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// A client sends, counts, lists and clears the served broker's queues.
func TestClientReachesTheBroker(t *testing.T) {
	ctx := context.Background()
	b := newBroker(t, queue.Options{})
	c := dial(t, serve(t, b))
	msgs := [][]byte{[]byte(`{"a": 1}`), {0xff, 0, '\n', '"'}, []byte("third")}
	if err := c.Send(ctx, "q", msgs...); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(ctx, "other", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Len(ctx, "q"); err != nil || n != 3 {
		t.Fatalf("Len = %d, %v; want 3", n, err)
	}
	qs, err := c.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []queue.QueueInfo{{Name: "other", Len: 1}, {Name: "q", Len: 3}}; fmt.Sprint(qs) != fmt.Sprint(want) {
		t.Fatalf("Queues = %v, want %v", qs, want)
	}
	cons, err := b.Consumer("q", queue.InternalName("q"))
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Receive(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := batch.Messages(); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", msgs) {
		t.Fatalf("the broker holds %q, want %q", got, msgs)
	}
	if err := batch.Ack(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Clear(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if n, _ := b.Len(ctx, "other"); n != 0 {
		t.Fatalf("after Clear the queue holds %d", n)
	}
}

// Taking messages stays with the serving process; bad input is refused
// before it is sent; a closed client says so.
func TestClientRefuses(t *testing.T) {
	ctx := context.Background()
	c := dial(t, serve(t, newBroker(t, queue.Options{})))
	if _, err := c.Consumer("q", "q-internal"); !errors.Is(err, ErrNoConsumer) {
		t.Errorf("Consumer: %v, want ErrNoConsumer", err)
	}
	if err := c.Send(ctx, "q", []byte("a"), nil); !errors.Is(err, queue.ErrEmptyMessage) {
		t.Errorf("Send of an empty message: %v, want ErrEmptyMessage", err)
	}
	if err := c.Send(ctx, "", []byte("a")); !errors.Is(err, queue.ErrInvalidName) {
		t.Errorf("Send to an empty name: %v, want ErrInvalidName", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Len(ctx, "q"); !errors.Is(err, queue.ErrClosed) {
		t.Errorf("Len after Close: %v, want ErrClosed", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// A broker error comes back to the client; a server gone is
// ErrUnavailable.
func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	b, err := memq.New(queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path, stop := serveStoppable(t, b)
	c := dial(t, path)
	b.Close()
	if _, err := c.Len(ctx, "q"); err == nil || !strings.Contains(err.Error(), queue.ErrClosed.Error()) {
		t.Errorf("Len on a closed broker: %v, want its error", err)
	}
	stop()
	if _, err := c.Len(ctx, "q"); !errors.Is(err, queue.ErrUnavailable) {
		t.Errorf("Len after the server stopped: %v, want ErrUnavailable", err)
	}
	if _, err := Dial(path); err == nil {
		t.Error("Dial of a socket nobody serves succeeded")
	}
}

// A Send the server waits on (a full queue) ends with the client's
// context; the connection is then dropped (a late reply could not be told
// from the next), so later calls report the client closed. The server
// stops at once all the same.
func TestSendWaitEndsWithContext(t *testing.T) {
	b := newBroker(t, queue.Options{MaxLen: 1, PollMin: time.Millisecond, PollMax: 5 * time.Millisecond})
	c := dial(t, serve(t, b))
	if err := c.Send(context.Background(), "q", []byte("1")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := c.Send(ctx, "q", []byte("2")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send to a full queue: %v, want the context's deadline", err)
	}
	if _, err := c.Len(context.Background(), "q"); !errors.Is(err, queue.ErrClosed) {
		t.Errorf("Len after an interrupted call: %v, want ErrClosed (the connection is dropped)", err)
	}
	if d := time.Since(start); d > sendTimeout/2 {
		t.Errorf("the Send returned after %s, not at the context's end", d)
	}
}

// Calls from many goroutines are answered one by one, each with its own
// reply.
func TestClientConcurrent(t *testing.T) {
	ctx := context.Background()
	b := newBroker(t, queue.Options{})
	c := dial(t, serve(t, b))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := fmt.Sprintf("q%d", g)
			for i := range 50 {
				if err := c.Send(ctx, q, []byte("m")); err != nil {
					errs <- err
					return
				}
				if n, err := c.Len(ctx, q); err != nil || n != i+1 {
					errs <- fmt.Errorf("%s: Len = %d, %v; want %d", q, n, err, i+1)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Listen makes the socket private, replaces one nobody serves (a killed
// run's) and refuses one that is served.
func TestListen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "control.sock")
	stale, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	stale.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the stale socket is gone before the test: %v", err)
	}
	ln, err := Listen(path)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	defer ln.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("socket mode %o, want 600", m)
	}
	go Serve(ln, newBroker(t, queue.Options{}))
	if _, err := Listen(path); err == nil {
		t.Error("a second Listen on a served socket succeeded")
	}
}
