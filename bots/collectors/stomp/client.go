// SPDX-License-Identifier: AGPL-3.0-or-later

package stomp

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// subscriptionID is the id of the collector's one subscription (IntelMQ's
// id=1).
const subscriptionID = "1"

// disconnectReceipt is the receipt asked for with DISCONNECT.
const disconnectReceipt = "disconnect"

// clientConfig is what one connection needs.
type clientConfig struct {
	addr     string // host:port
	host     string // the host header of CONNECT, the server's name
	tls      *tls.Config
	login    string
	passcode string
	// heartbeat is both what the client offers to send and what it asks
	// the server to send; 0 disables heart-beats.
	heartbeat time.Duration
	timeout   time.Duration
	maxBody   int64
}

// client is one STOMP connection. Its frames are read from one goroutine;
// writes (frames and heart-beats) are serialised by wmu.
type client struct {
	nc      net.Conn
	dl      *deadlines
	fr      *frameReader
	wmu     sync.Mutex
	w       *bufio.Writer
	timeout time.Duration
	version string
	// sendEvery and recvWithin are the negotiated heart-beats: how often
	// the client sends an end-of-line, and how long the server may stay
	// silent before the connection counts as dead (0: no limit).
	sendEvery, recvWithin time.Duration
	done                  chan struct{}
	closeOnce             sync.Once
}

// dial opens the TCP connection and, with a TLS configuration, does the
// TLS handshake.
func dial(ctx context.Context, cfg *clientConfig) (*client, error) {
	d := &net.Dialer{Timeout: cfg.timeout, KeepAlive: 30 * time.Second}
	nc, err := d.DialContext(ctx, "tcp", cfg.addr)
	if err != nil {
		return nil, err
	}
	if cfg.tls != nil {
		tc := tls.Client(nc, cfg.tls)
		hctx, cancel := context.WithTimeout(ctx, cfg.timeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			nc.Close()
			return nil, fmt.Errorf("TLS handshake: %w", err)
		}
		nc = tc
	}
	dl := &deadlines{conn: nc}
	return &client{
		nc: nc, dl: dl, timeout: cfg.timeout, done: make(chan struct{}),
		fr: &frameReader{r: bufio.NewReaderSize(dl, 64<<10), maxBody: cfg.maxBody},
		w:  bufio.NewWriter(nc),
	}, nil
}

// refusedError is an ERROR frame in reply to CONNECT, or a server that
// speaks no STOMP version the client does: reconnecting at once would not
// help.
type refusedError struct{ msg string }

func (e *refusedError) Error() string { return e.msg }

// connect sends CONNECT, waits for CONNECTED and negotiates the version
// and the heart-beats.
func (c *client) connect(cfg *clientConfig) error {
	hb := strconv.FormatInt(cfg.heartbeat.Milliseconds(), 10)
	f := newFrame(cmdConnect, "accept-version", "1.1,1.2", "host", cfg.host, "heart-beat", hb+","+hb)
	if cfg.login != "" || cfg.passcode != "" {
		f.headers = append(f.headers, header{"login", cfg.login}, header{"passcode", cfg.passcode})
	}
	c.dl.handshake(time.Now().Add(c.timeout))
	if err := c.send(f); err != nil {
		return err
	}
	reply, err := c.fr.read()
	if err != nil {
		return fmt.Errorf("waiting for CONNECTED: %w", err)
	}
	switch reply.command {
	case cmdConnected:
	case cmdError:
		return &refusedError{fmt.Sprintf("the server refused the connection: %s", reply.errorText())}
	default:
		return protocolErrorf("the server answered CONNECT with %s instead of CONNECTED", reply.command)
	}
	switch v, _ := reply.get("version"); v {
	case "1.1", "1.2":
		c.version = v
		c.fr.version = v
	case "", "1.0":
		return &refusedError{"the server speaks only STOMP 1.0, which has no individual acknowledgements; STOMP 1.1 or 1.2 is needed"}
	default:
		return protocolErrorf("the server chose the STOMP version %q, which was not offered", v)
	}
	sx, sy := parseHeartBeat(reply)
	if cfg.heartbeat > 0 && sy > 0 {
		c.sendEvery = max(cfg.heartbeat, sy)
	}
	if cfg.heartbeat > 0 && sx > 0 {
		interval := max(cfg.heartbeat, sx)
		c.recvWithin = interval + interval/2
	}
	c.dl.streaming(c.recvWithin)
	return nil
}

// parseHeartBeat reads the heart-beat header of CONNECTED; a missing or
// malformed one means no heart-beats.
func parseHeartBeat(f *frame) (sx, sy time.Duration) {
	v, ok := f.get("heart-beat")
	if !ok {
		return 0, 0
	}
	a, b, ok := strings.Cut(v, ",")
	x, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 31)
	y, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 31)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0
	}
	return time.Duration(x) * time.Millisecond, time.Duration(y) * time.Millisecond
}

// subscribe subscribes to destination, acknowledging each message on its
// own.
func (c *client) subscribe(destination string) error {
	return c.send(newFrame(cmdSubscribe, "id", subscriptionID, "destination", destination, "ack", "client-individual"))
}

// errNoAckID is a MESSAGE that lacks what its ACK must name.
var errNoAckID = errors.New("the frame lacks the header that its ACK must name")

// ack acknowledges the message of f: by its ack header in STOMP 1.2, by
// its message-id and subscription in 1.1.
func (c *client) ack(f *frame) error {
	if c.version == "1.2" {
		id, ok := f.get("ack")
		if !ok {
			return errNoAckID
		}
		return c.send(newFrame(cmdAck, "id", id))
	}
	id, ok := f.get("message-id")
	if !ok {
		return errNoAckID
	}
	sub, ok := f.get("subscription")
	if !ok {
		sub = subscriptionID
	}
	return c.send(newFrame(cmdAck, "subscription", sub, "message-id", id))
}

// send writes one frame within the timeout.
func (c *client) send(f *frame) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.nc.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return err
	}
	if err := writeFrame(c.w, f, c.version); err != nil {
		return fmt.Errorf("sending %s: %w", f.command, err)
	}
	return nil
}

// heartbeats sends an end-of-line every sendEvery until the connection
// ends; a failed write closes the connection, so that the reader stops.
func (c *client) heartbeats() {
	if c.sendEvery <= 0 {
		return
	}
	t := time.NewTicker(c.sendEvery)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		c.wmu.Lock()
		err := c.nc.SetWriteDeadline(time.Now().Add(c.timeout))
		if err == nil {
			_, err = c.w.Write([]byte{'\n'})
		}
		if err == nil {
			err = c.w.Flush()
		}
		c.wmu.Unlock()
		if err != nil {
			c.close()
			return
		}
	}
}

// interrupt makes the pending and future reads fail at once, as the
// collection ends.
func (c *client) interrupt() { c.dl.interrupt() }

// disconnect sends DISCONNECT and waits up to wait for its RECEIPT, so
// the server has seen every ACK before the connection closes. Messages
// that arrive meanwhile are not acknowledged; the server delivers them
// again later.
func (c *client) disconnect(wait time.Duration) error {
	c.dl.closing(time.Now().Add(wait))
	if err := c.send(newFrame(cmdDisconnect, "receipt", disconnectReceipt)); err != nil {
		return err
	}
	for {
		f, err := c.fr.read()
		if err != nil {
			return err
		}
		if id, _ := f.get("receipt-id"); f.command == cmdReceipt && id == disconnectReceipt {
			return nil
		}
	}
}

// close closes the connection; it may be called more than once.
func (c *client) close() {
	c.closeOnce.Do(func() {
		close(c.done)
		c.nc.Close()
	})
}

// deadlines sets the read deadline of the connection before each read:
// a fixed one (the CONNECT handshake, the DISCONNECT wait), else idle
// after the read starts when the server sends heart-beats. Once
// interrupted, reads fail at once until closing.
type deadlines struct {
	mu          sync.Mutex
	conn        net.Conn
	fixed       time.Time
	idle        time.Duration
	interrupted bool
}

// errInterrupted is a read after the collection ended.
var errInterrupted = errors.New("the collection ended")

func (d *deadlines) Read(p []byte) (int, error) {
	d.mu.Lock()
	if d.interrupted {
		d.mu.Unlock()
		return 0, errInterrupted
	}
	t := d.fixed
	if t.IsZero() && d.idle > 0 {
		t = time.Now().Add(d.idle)
	}
	err := d.conn.SetReadDeadline(t)
	d.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return d.conn.Read(p)
}

func (d *deadlines) interrupt() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.interrupted = true
	_ = d.conn.SetReadDeadline(time.Unix(1, 0))
}

func (d *deadlines) handshake(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fixed = t
}

func (d *deadlines) streaming(idle time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fixed, d.idle = time.Time{}, idle
}

func (d *deadlines) closing(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fixed, d.interrupted = t, false
}
