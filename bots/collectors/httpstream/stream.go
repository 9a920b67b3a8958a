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
	"sync/atomic"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Parameter names shared by the stream collectors.
const (
	paramInterval    = "interval"
	paramTimeout     = "timeout"
	paramRetries     = "retries"
	paramVerifyTLS   = "verify_cert"
	paramProxy       = "proxy"
	paramUserAgent   = "user_agent"
	paramMaxDuration = "max_duration"
	paramMaxReports  = "max_reports"
	paramMaxLineSize = "max_line_size"
)

const (
	defaultInterval    = 10 * time.Second
	defaultRetries     = int64(3)
	defaultUserAgent   = "intelmq-go"
	defaultMaxLineSize = int64(16 << 20)
	firstRetryDelay    = time.Second
	maxRetryDelay      = time.Minute
	keyFeedURL         = "feed.url"
)

// commonParams returns the parameters every stream collector has.
func commonParams(defaultTimeout time.Duration) []botapi.Param {
	return []botapi.Param{
		{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
			Doc: "The time between the end of a stream and the next connection (IntelMQ waits its rate_limit, 3600 seconds)."},
		{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
			Doc: "How long to wait for the connection, the response headers, and for more data of the stream before the connection counts as broken (IntelMQ's http_timeout_sec)."},
		{Name: paramRetries, Type: botapi.TypeInt, Default: defaultRetries,
			Doc: "How many consecutive broken connections, timeouts, HTTP 429 or 5xx are retried within a collection, waiting 1s, 2s, 4s... up to a minute; a line received resets the count (IntelMQ uses error_max_retries)."},
		{Name: paramVerifyTLS, Type: botapi.TypeBool, Default: true,
			Doc: "Verify the server's TLS certificate (IntelMQ's http_verify_cert)."},
		{Name: paramProxy, Type: botapi.TypeString, Default: "",
			Doc: "The proxy URL for http and https, e.g. \"http://proxy.example:3128\"; empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY."},
		{Name: paramUserAgent, Type: botapi.TypeString, Default: defaultUserAgent,
			Doc: "The User-Agent header (IntelMQ's http_user_agent)."},
		{Name: paramMaxDuration, Type: botapi.TypeDuration, Default: time.Duration(0),
			Doc: "End a collection after this long, e.g. \"10m\"; 0 reads until the bot stops or the server ends the stream. With \"intelmq run --once\" it bounds the run."},
		{Name: paramMaxReports, Type: botapi.TypeInt, Default: int64(0),
			Doc: "End a collection after this many reports; 0 means no limit. With \"intelmq run --once\" it takes a sample of the stream."},
		{Name: paramMaxLineSize, Type: botapi.TypeInt, Default: defaultMaxLineSize,
			Doc: "The longest line accepted, in bytes; a longer line is dropped with an error in the log."},
	}
}

// streamConfig is what the stream engine needs.
type streamConfig struct {
	timeout     time.Duration
	retries     int
	verifyTLS   bool
	proxy       string
	userAgent   string
	username    string
	password    string
	headers     map[string]string
	maxDuration time.Duration
	maxReports  int64
	maxLineSize int64
	strip       bool
	// feedURL, when set, is the feed.url of every report.
	feedURL string
}

func readCommon(p botapi.Params) streamConfig {
	return streamConfig{
		timeout:     p.Duration(paramTimeout),
		retries:     int(p.Int(paramRetries)),
		verifyTLS:   p.Bool(paramVerifyTLS),
		proxy:       p.String(paramProxy),
		userAgent:   p.String(paramUserAgent),
		maxDuration: p.Duration(paramMaxDuration),
		maxReports:  p.Int(paramMaxReports),
		maxLineSize: p.Int(paramMaxLineSize),
	}
}

func (cfg *streamConfig) validate() error {
	switch {
	case cfg.timeout <= 0:
		return fmt.Errorf("timeout must be positive, got %s", cfg.timeout)
	case cfg.retries < 0:
		return fmt.Errorf("retries must not be negative, got %d", cfg.retries)
	case cfg.maxReports < 0:
		return fmt.Errorf("max_reports must not be negative, got %d", cfg.maxReports)
	case cfg.maxLineSize <= 0:
		return fmt.Errorf("max_line_size must be positive, got %d", cfg.maxLineSize)
	}
	if cfg.proxy != "" {
		if u, err := neturl.Parse(cfg.proxy); err != nil || u.Host == "" {
			return fmt.Errorf("proxy %q is not a URL such as http://proxy.example:3128", cfg.proxy)
		}
	}
	return nil
}

// streamer reads one stream URL for a collector.
type streamer struct {
	bc     *botapi.Context
	cfg    streamConfig
	client *nethttp.Client
}

func newStreamer(bc *botapi.Context, cfg streamConfig) *streamer {
	proxy := nethttp.ProxyFromEnvironment
	if cfg.proxy != "" {
		if u, err := neturl.Parse(cfg.proxy); err == nil {
			proxy = nethttp.ProxyURL(u)
		}
	}
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

// emitError is a failed Emit: it ends the collection at once.
type emitError struct{ err error }

func (e *emitError) Error() string { return e.err.Error() }
func (e *emitError) Unwrap() error { return e.err }

// collect reads the stream at url (shown as display in the log, which
// hides credentials in its query) until the collection ends, reconnecting
// after failures.
func (s *streamer) collect(ctx context.Context, out botapi.Emitter, url, display string) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var expired atomic.Bool
	if s.cfg.maxDuration > 0 {
		go func() {
			if s.bc.Clock.Sleep(sctx, s.cfg.maxDuration) == nil {
				expired.Store(true)
				cancel()
			}
		}()
	}
	log := s.logger()
	var sent int64
	failures := 0
	delay := firstRetryDelay
	for {
		before := sent
		err := s.session(sctx, ctx, out, url, display, &sent)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case expired.Load():
			log.Info(fmt.Sprintf("Stream stopped after max_duration %s, %d reports sent.", s.cfg.maxDuration, sent))
			return nil
		case s.cfg.maxReports > 0 && sent >= s.cfg.maxReports:
			log.Info(fmt.Sprintf("Stream stopped after max_reports, %d reports sent.", sent))
			return nil
		case err == nil:
			log.Info(fmt.Sprintf("Stream stopped, %d reports sent.", sent))
			return nil
		}
		var ee *emitError
		if errors.As(err, &ee) {
			return ee.err
		}
		var se *statusError
		if errors.As(err, &se) && !se.retryable() {
			return err
		}
		if sent > before {
			failures, delay = 0, firstRetryDelay
		}
		failures++
		if failures > s.cfg.retries {
			return fmt.Errorf("the stream at %s failed %d times in a row: %w", display, failures, err)
		}
		log.Info(fmt.Sprintf("Got error %v, reconnecting in %s (consecutive error count %d <= %d).", err, delay, failures, s.cfg.retries))
		if err := s.bc.Clock.Sleep(sctx, delay); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.Info(fmt.Sprintf("Stream stopped after max_duration %s, %d reports sent.", s.cfg.maxDuration, sent))
			return nil
		}
		delay = min(2*delay, maxRetryDelay)
	}
}

// session connects once and sends the lines until the stream ends (nil),
// breaks or the limits are reached. The stream lives in sctx; the reports
// are emitted in ctx, so a line read completely is stored even when
// max_duration ends the stream meanwhile.
func (s *streamer) session(sctx, ctx context.Context, out botapi.Emitter, url, display string, sent *int64) error {
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
		return &statusError{url: display, status: resp.StatusCode}
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
			if len(bytes.TrimSpace(line)) > 0 {
				*sent++
				if s.cfg.maxReports > 0 && *sent >= s.cfg.maxReports {
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
		return &emitError{err}
	}
	if err := message.SetRawText(r, line); err != nil {
		return &emitError{err}
	}
	if s.cfg.feedURL != "" {
		if err := r.Set(keyFeedURL, harmonization.String(s.cfg.feedURL)); err != nil {
			return &emitError{botapi.Permanent(fmt.Errorf("feed.url: %w", err))}
		}
	}
	if err := out.Emit(ctx, r); err != nil {
		return &emitError{err}
	}
	return nil
}

func (s *streamer) logger() *slog.Logger {
	if s.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.bc.Logger
}
