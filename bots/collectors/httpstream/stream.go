// SPDX-License-Identifier: AGPL-3.0-or-later

package httpstream

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	nethttp "net/http"
	neturl "net/url"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/bots/internal/streamloop"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Parameter names shared by the stream collectors.
const (
	paramTimeout     = "timeout"
	paramVerifyTLS   = "verify_cert"
	paramProxy       = "proxy"
	paramUserAgent   = "user_agent"
	paramMaxLineSize = "max_line_size"
)

const (
	defaultUserAgent   = "intelmq-go"
	defaultMaxLineSize = int64(16 << 20)
	keyFeedURL         = "feed.url"
)

// commonParams returns the parameters every stream collector has.
func commonParams(defaultTimeout time.Duration) []botapi.Param {
	return append(streamloop.Params(), []botapi.Param{
		{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
			Doc: "How long to wait for the connection, the response headers, and for more data of the stream before the connection counts as broken (IntelMQ's http_timeout_sec)."},
		{Name: paramVerifyTLS, Type: botapi.TypeBool, Default: true,
			Doc: "Verify the server's TLS certificate (IntelMQ's http_verify_cert)."},
		{Name: paramProxy, Type: botapi.TypeString, Default: "",
			Doc: "The proxy URL for http and https, e.g. \"http://proxy.example:3128\"; empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY."},
		{Name: paramUserAgent, Type: botapi.TypeString, Default: defaultUserAgent,
			Doc: "The User-Agent header (IntelMQ's http_user_agent)."},
		{Name: paramMaxLineSize, Type: botapi.TypeInt, Default: defaultMaxLineSize,
			Doc: "The longest line accepted, in bytes; a longer line is dropped with an error in the log."},
	}...)
}

// streamConfig is what the stream engine needs.
type streamConfig struct {
	limits      streamloop.Config
	timeout     time.Duration
	verifyTLS   bool
	proxy       string
	userAgent   string
	username    string
	password    string
	headers     map[string]string
	maxLineSize int64
	strip       bool
	// feedURL, when set, is the feed.url of every report.
	feedURL string
}

func readCommon(p botapi.Params) streamConfig {
	return streamConfig{
		limits:      streamloop.ReadConfig(p),
		timeout:     p.Duration(paramTimeout),
		verifyTLS:   p.Bool(paramVerifyTLS),
		proxy:       p.String(paramProxy),
		userAgent:   p.String(paramUserAgent),
		maxLineSize: p.Int(paramMaxLineSize),
	}
}

func (cfg *streamConfig) validate() error {
	if err := cfg.limits.Check(); err != nil {
		return err
	}
	switch {
	case cfg.timeout <= 0:
		return botapi.ParamErrorf(paramTimeout, "must be positive, got %s", cfg.timeout)
	case cfg.maxLineSize <= 0:
		return botapi.ParamErrorf(paramMaxLineSize, "must be positive, got %d", cfg.maxLineSize)
	}
	_, err := httpcollector.Proxy(cfg.proxy)
	return err
}

// streamer reads one stream URL for a collector.
type streamer struct {
	bc     *botapi.Context
	cfg    streamConfig
	client *nethttp.Client
}

func newStreamer(bc *botapi.Context, cfg streamConfig) *streamer {
	proxy, _ := httpcollector.Proxy(cfg.proxy) // checked by validate
	dialer := &net.Dialer{Timeout: cfg.timeout, KeepAlive: 30 * time.Second}
	timeout := cfg.timeout
	return &streamer{bc: bc, cfg: cfg, client: &nethttp.Client{Transport: &nethttp.Transport{
		Proxy: proxy,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &idleConn{Conn: conn, timeout: timeout}, nil
		},
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: !cfg.verifyTLS}, //nolint:gosec // an explicit operator choice
		TLSHandshakeTimeout:   cfg.timeout,
		ResponseHeaderTimeout: cfg.timeout,
		IdleConnTimeout:       90 * time.Second,
		// A stream is one long response: HTTP/2 would multiplex nothing.
		ForceAttemptHTTP2: false,
	}}}
}

// idleConn fails a read that waits longer than timeout for data, so a
// stream that went silent counts as broken.
type idleConn struct {
	net.Conn
	timeout time.Duration
}

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (s *streamer) close() { s.client.CloseIdleConnections() }

// statusError is a response whose status is not 2xx.
type statusError struct {
	url    string
	status int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("HTTP response status code was %d for %s", e.status, e.url)
}

func (e *statusError) retryable() bool {
	return e.status == nethttp.StatusTooManyRequests || e.status >= 500
}

// collect reads the stream at url (shown as display in the log, which
// hides credentials in its query) until the collection ends, reconnecting
// after failures (streamloop).
func (s *streamer) collect(ctx context.Context, out botapi.Emitter, url, display string) error {
	return streamloop.Run(ctx, s.bc.Clock, s.logger(), s.cfg.limits, display, func(sctx, ctx context.Context, p *streamloop.Progress) error {
		return s.session(sctx, ctx, out, url, display, p)
	})
}

// session connects once and sends the lines until the stream ends (nil),
// breaks or the limits are reached. The stream lives in sctx; the reports
// are emitted in ctx, so a line read completely is stored even when
// max_duration ends the stream meanwhile.
func (s *streamer) session(sctx, ctx context.Context, out botapi.Emitter, url, display string, p *streamloop.Progress) error {
	s.logger().Info(fmt.Sprintf("Connecting to stream at %s.", display))
	req, err := nethttp.NewRequestWithContext(sctx, nethttp.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", s.cfg.userAgent)
	for k, v := range s.cfg.headers {
		req.Header.Set(k, v)
	}
	if s.cfg.username != "" || s.cfg.password != "" {
		req.SetBasicAuth(s.cfg.username, s.cfg.password)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", display, scrub(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		se := &statusError{url: display, status: resp.StatusCode}
		if !se.retryable() {
			return streamloop.Fatal(se)
		}
		return se
	}
	r := bufio.NewReaderSize(resp.Body, 64<<10)
	var line []byte
	oversize := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !oversize {
			if int64(len(line)+len(chunk)) > s.cfg.maxLineSize+2 { // +2: the line end
				oversize = true
				line = line[:0]
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		complete := err == nil || (err == io.EOF && len(line) > 0)
		if oversize {
			if err == nil || err == io.EOF {
				s.logger().Error(fmt.Sprintf("Dropping a line of more than %d bytes (max_line_size).", s.cfg.maxLineSize))
			}
			oversize, complete = false, false
		}
		if complete {
			if err := s.emitLine(ctx, out, line); err != nil {
				return err
			}
			p.Received++
			if len(bytes.TrimSpace(line)) > 0 {
				p.Sent++
				if p.Full(s.cfg.limits) {
					return nil
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if len(line) > 0 && !complete && sctx.Err() == nil {
				s.logger().Warn(fmt.Sprintf("Dropping an incomplete line of %d bytes: the stream broke before its end.", len(line)))
			}
			return fmt.Errorf("reading the stream at %s: %w", display, scrub(err))
		}
		line = line[:0]
	}
}

// redact returns url for the log, with the values of query parameters
// that look like credentials replaced by "***".
func redact(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	q := u.Query()
	changed := false
	for k := range q {
		switch strings.ToLower(k) {
		case "key", "apikey", "api_key", "token", "access_token", "password", "secret":
			q[k] = []string{"***"}
			changed = true
		}
	}
	if !changed {
		return raw
	}
	u.RawQuery = q.Encode()
	return strings.ReplaceAll(u.String(), "%2A%2A%2A", "***")
}

// scrub removes the URL of a *url.Error, which may hold an API key.
func scrub(err error) error {
	var ue *neturl.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// emitLine sends one line, unless it is empty.
func (s *streamer) emitLine(ctx context.Context, out botapi.Emitter, line []byte) error {
	line = bytes.TrimRight(line, "\r\n")
	if s.cfg.strip {
		line = bytes.TrimSpace(line)
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return nil
	}
	r, err := report.New(s.bc)
	if err != nil {
		return streamloop.Fatal(err)
	}
	if err := message.SetRawText(r, line); err != nil {
		return streamloop.Fatal(err)
	}
	if s.cfg.feedURL != "" {
		if err := r.Set(keyFeedURL, harmonization.String(s.cfg.feedURL)); err != nil {
			return streamloop.Fatal(botapi.Permanent(fmt.Errorf("feed.url: %w", err)))
		}
	}
	if err := out.Emit(ctx, r); err != nil {
		return streamloop.Fatal(err)
	}
	return nil
}

func (s *streamer) logger() *slog.Logger {
	if s.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.bc.Logger
}
