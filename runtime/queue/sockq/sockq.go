// SPDX-License-Identifier: AGPL-3.0-or-later

package sockq

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

// ErrNoConsumer is returned, wrapped, by Client.Consumer: the process that
// serves the queues is the only one that takes messages from them.
var ErrNoConsumer = errors.New("sockq: messages are taken only by the process that serves the queues")

// sendTimeout bounds a Send the server makes for a client, which waits
// while the queue is at its length limit (backpressure).
const sendTimeout = time.Minute

// request is one call of a client.
type request struct {
	Op       string   `json:"op"`
	Queue    string   `json:"queue,omitempty"`
	Messages [][]byte `json:"messages,omitempty"`
}

// reply is the server's answer to a request.
type reply struct {
	Error  string            `json:"error,omitempty"`
	N      int               `json:"n,omitempty"`
	Queues []queue.QueueInfo `json:"queues,omitempty"`
}

// Listen creates the socket at path, mode 0600, replacing a socket that
// nobody serves any more (left by a process that was killed). It fails if
// another process serves path.
func Listen(path string) (net.Listener, error) {
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("sockq: another process serves %s", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("sockq: removing the old socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("sockq: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("sockq: %w", err)
	}
	return ln, nil
}

// Serve answers the clients that connect to ln with b's queues until ln
// is closed; it then closes the connections still open and returns.
func Serve(ln net.Listener, b queue.Broker) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		mu    sync.Mutex
		conns = map[net.Conn]bool{}
		wg    sync.WaitGroup
	)
	for {
		c, err := ln.Accept()
		if err != nil {
			break
		}
		mu.Lock()
		conns[c] = true
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			serveConn(ctx, c, b)
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
		}()
	}
	cancel() // a Send waiting on a full queue
	mu.Lock()
	for c := range conns {
		c.Close()
	}
	mu.Unlock()
	wg.Wait()
}

// maxLine bounds a request: a Send of many large messages is split by the
// client into requests below it.
const maxLine = 64 << 20

// serveConn answers the requests of one connection until it closes.
func serveConn(ctx context.Context, c net.Conn, b queue.Broker) {
	defer c.Close()
	sc := bufio.NewScanner(c)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	enc := json.NewEncoder(c)
	for sc.Scan() {
		var req request
		var rep reply
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			rep.Error = "bad request: " + err.Error()
		} else if err := do(ctx, b, req, &rep); err != nil {
			rep.Error = err.Error()
		}
		if enc.Encode(rep) != nil {
			return
		}
	}
}

// do carries out req on b.
func do(ctx context.Context, b queue.Broker, req request, rep *reply) error {
	switch req.Op {
	case "ping":
		return nil
	case "len":
		n, err := b.Len(ctx, req.Queue)
		rep.N = n
		return err
	case "clear":
		return b.Clear(ctx, req.Queue)
	case "queues":
		qs, err := b.Queues(ctx)
		rep.Queues = qs
		return err
	case "send":
		ctx, cancel := context.WithTimeout(ctx, sendTimeout)
		defer cancel()
		err := b.Send(ctx, req.Queue, req.Messages...)
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("queue %s stayed at its length limit for %s; nothing was sent", req.Queue, sendTimeout)
		}
		return err
	}
	return fmt.Errorf("unknown operation %q", req.Op)
}

// Client is the queue.Broker of a process that Serve answers. It is safe
// for concurrent use; calls are made one at a time on one connection.
type Client struct {
	path string
	mu   sync.Mutex
	conn net.Conn
	rd   *bufio.Reader
	enc  *json.Encoder
}

var _ queue.Broker = (*Client)(nil)

// Dial connects to the socket at path and checks that it answers.
func Dial(path string) (*Client, error) {
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return nil, fmt.Errorf("sockq: %w", err)
	}
	c := &Client{path: path, conn: conn, rd: bufio.NewReader(conn), enc: json.NewEncoder(conn)}
	if err := c.call(context.Background(), request{Op: "ping"}, nil); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// call sends req and reads its reply into rep (nil: none wanted).
func (c *Client) call(ctx context.Context, req request, rep *reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return queue.ErrClosed
	}
	conn := c.conn
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if err := c.enc.Encode(req); err != nil {
		return c.broken(ctx, err)
	}
	line, err := c.rd.ReadBytes('\n')
	if err != nil {
		return c.broken(ctx, err)
	}
	var r reply
	if err := json.Unmarshal(line, &r); err != nil {
		return fmt.Errorf("sockq: bad reply from %s: %w", c.path, err)
	}
	if r.Error != "" {
		return fmt.Errorf("sockq: %s", r.Error)
	}
	if rep != nil {
		*rep = r
	}
	return nil
}

// broken closes a connection that failed mid-call: its replies can no
// longer be matched with requests.
func (c *Client) broken(ctx context.Context, err error) error {
	c.conn.Close()
	c.conn = nil
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("the serving process closed the connection")
	}
	return &queue.UnavailableError{Service: "the queues of the running pipeline", Addr: c.path, Err: err}
}

// Send appends msgs to queue in the serving process.
func (c *Client) Send(ctx context.Context, q string, msgs ...[]byte) error {
	if err := queue.CheckName(q); err != nil {
		return err
	}
	if err := queue.CheckMessages(q, msgs); err != nil {
		return err
	}
	for len(msgs) > 0 {
		n, size := 0, 0
		for n < len(msgs) && (n == 0 || size+len(msgs[n]) < maxLine/2) {
			size += len(msgs[n])
			n++
		}
		if err := c.call(ctx, request{Op: "send", Queue: q, Messages: msgs[:n]}, nil); err != nil {
			return err
		}
		msgs = msgs[n:]
	}
	return nil
}

// Len returns the length of queue.
func (c *Client) Len(ctx context.Context, q string) (int, error) {
	var r reply
	err := c.call(ctx, request{Op: "len", Queue: q}, &r)
	return r.N, err
}

// Clear deletes every message of queue.
func (c *Client) Clear(ctx context.Context, q string) error {
	return c.call(ctx, request{Op: "clear", Queue: q}, nil)
}

// Queues lists the non-empty queues, sorted by name.
func (c *Client) Queues(ctx context.Context) ([]queue.QueueInfo, error) {
	var r reply
	err := c.call(ctx, request{Op: "queues"}, &r)
	return r.Queues, err
}

// Consumer returns ErrNoConsumer: only the serving process takes messages.
func (c *Client) Consumer(source, _ string) (queue.Consumer, error) {
	return nil, fmt.Errorf("%w (queue %s)", ErrNoConsumer, source)
}

// Close closes the connection. It is idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}
