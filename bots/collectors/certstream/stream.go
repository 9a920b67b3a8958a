// SPDX-License-Identifier: AGPL-3.0-or-later

package certstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"

	"github.com/coder/websocket"

	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/bots/internal/streamloop"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// The message types of the CertStream protocol.
const (
	typeCertificateUpdate = "certificate_update"
	typeHeartbeat         = "heartbeat"
)

// snippetLen is how much of a skipped frame the log shows.
const snippetLen = 64

// statusError is a handshake answered with a status other than 101.
type statusError struct {
	url    string
	status int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("the server at %s answered the WebSocket handshake with HTTP status %d", e.url, e.status)
}

func (e *statusError) retryable() bool {
	return e.status == nethttp.StatusTooManyRequests || e.status >= 500
}

// errServerClosed is a close of the server with "normal closure" or
// "going away": the stream ended cleanly.
var errServerClosed = errors.New("the server closed the stream")

// collect reads the stream until the collection ends, reconnecting after
// failures (streamloop).
func (c *Collector) collect(ctx context.Context, out botapi.Emitter) error {
	return streamloop.Run(ctx, c.bc.Clock, c.logger(), c.cfg.limits, c.display, func(sctx, ctx context.Context, p *streamloop.Progress) error {
		return c.session(sctx, ctx, out, p)
	})
}

// session connects once and handles the messages until the connection
// ends or the limits are reached (nil). The stream lives in sctx; the
// reports are emitted in ctx, so a message read whole is stored even when
// max_duration ends the stream meanwhile.
func (c *Collector) session(sctx, ctx context.Context, out botapi.Emitter, n *streamloop.Progress) error {
	log := c.logger()
	log.Info(fmt.Sprintf("Connecting to the CertStream server at %s.", c.display))
	dctx, dcancel := context.WithTimeout(sctx, c.cfg.timeout)
	conn, resp, err := websocket.Dial(dctx, c.cfg.url, &websocket.DialOptions{
		HTTPClient: c.client,
		HTTPHeader: nethttp.Header{"User-Agent": {c.cfg.userAgent}},
	})
	dcancel()
	if err != nil {
		if resp != nil && resp.StatusCode != nethttp.StatusSwitchingProtocols {
			se := &statusError{url: c.display, status: resp.StatusCode}
			if !se.retryable() {
				return streamloop.Fatal(se)
			}
			return se
		}
		return fmt.Errorf("connecting to %s: %w", c.display, err)
	}
	defer conn.CloseNow() //nolint:errcheck // the connection is abandoned
	conn.SetReadLimit(c.cfg.maxMessageSize)
	log.Debug(fmt.Sprintf("Connected to the CertStream server at %s.", c.display))
	for {
		_, data, err := conn.Read(sctx)
		if err != nil {
			return c.readError(sctx, err)
		}
		n.Received++
		if err := c.handle(ctx, out, data, n); err != nil {
			return err
		}
		if n.Full(c.cfg.limits) {
			return nil
		}
	}
}

// readError describes why reading the stream failed.
func (c *Collector) readError(sctx context.Context, err error) error {
	if sctx.Err() != nil {
		return sctx.Err()
	}
	if errors.Is(err, websocket.ErrMessageTooBig) {
		c.logger().Error(fmt.Sprintf("Dropping a message of more than %d bytes (max_message_size); the connection is closed.", c.cfg.maxMessageSize))
		return fmt.Errorf("a message of the stream at %s exceeded max_message_size", c.display)
	}
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		reason := ""
		if ce.Reason != "" {
			reason = fmt.Sprintf(" (%q)", ce.Reason)
		}
		if ce.Code == websocket.StatusNormalClosure || ce.Code == websocket.StatusGoingAway {
			return streamloop.Ended(fmt.Errorf("%w with status %d%s", errServerClosed, int(ce.Code), reason))
		}
		return fmt.Errorf("the server closed the stream at %s with status %d%s", c.display, int(ce.Code), reason)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("the server dropped the connection at %s without a close frame", c.display)
	}
	return fmt.Errorf("reading the stream at %s: %w", c.display, err)
}

// envelope is the part of a CertStream message the collector reads.
type envelope struct {
	MessageType any `json:"message_type"`
}

// handle emits a certificate_update message as a report and skips the
// others.
func (c *Collector) handle(ctx context.Context, out botapi.Emitter, data []byte, n *streamloop.Progress) error {
	log := c.logger()
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		n.Skipped++
		var se *json.SyntaxError
		if errors.As(err, &se) {
			log.Warn(fmt.Sprintf("Skipping a frame of %d bytes that is not JSON (%v at byte %d): %q.", len(data), se, se.Offset, snippet(data)))
		} else {
			log.Warn(fmt.Sprintf("Skipping a frame of %d bytes that is JSON but not an object: %q.", len(data), snippet(data)))
		}
		return nil
	}
	switch t := env.MessageType.(type) {
	case string:
		switch t {
		case typeCertificateUpdate:
			return c.emit(ctx, out, data, n)
		case typeHeartbeat:
			log.Debug("Skipping a heartbeat message.")
			return nil
		}
		n.Skipped++
		log.Warn(fmt.Sprintf("Skipping a message of type %q: only certificate_update messages become reports.", t))
	case nil:
		n.Skipped++
		log.Warn(fmt.Sprintf("Skipping a JSON message without message_type: %q.", snippet(data)))
	default:
		n.Skipped++
		log.Warn(fmt.Sprintf("Skipping a JSON message whose message_type is not a string: %q.", snippet(data)))
	}
	return nil
}

// emit sends data as the raw of a report; it blocks while the queue is
// full.
func (c *Collector) emit(ctx context.Context, out botapi.Emitter, data []byte, n *streamloop.Progress) error {
	r, err := report.New(c.bc)
	if err != nil {
		return streamloop.Fatal(err)
	}
	if err := message.SetRawText(r, data); err != nil {
		return streamloop.Fatal(botapi.Permanent(err))
	}
	if err := out.Emit(ctx, r); err != nil {
		return streamloop.Fatal(err)
	}
	n.Sent++
	return nil
}

// snippet returns the start of a frame for the log.
func snippet(data []byte) string {
	if len(data) > snippetLen {
		return string(data[:snippetLen]) + "..."
	}
	return string(data)
}
