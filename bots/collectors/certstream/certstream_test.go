// SPDX-License-Identifier: AGPL-3.0-or-later

package certstream

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// script is what the test server does on one WebSocket connection.
type script func(ctx context.Context, c *websocket.Conn)

// wsServer is a CertStream server that plays one script per connection,
// in order; the last one repeats. A script of nil answers the handshake
// with HTTP status 503 instead.
type wsServer struct {
	srv      *httptest.Server
	mu       sync.Mutex
	scripts  []script
	requests []*nethttp.Request
}

func newWSServer(t *testing.T, useTLS bool, scripts ...script) *wsServer {
	t.Helper()
	s := &wsServer{scripts: scripts}
	h := nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		s.mu.Lock()
		n := len(s.requests)
		s.requests = append(s.requests, r.Clone(context.Background()))
		sc := s.scripts[min(n, len(s.scripts)-1)]
		s.mu.Unlock()
		if sc == nil {
			w.WriteHeader(nethttp.StatusServiceUnavailable)
			return
		}
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Errorf("test server: accepting the WebSocket: %v", err)
			return
		}
		defer c.CloseNow() //nolint:errcheck
		sc(r.Context(), c)
	})
	if useTLS {
		s.srv = httptest.NewTLSServer(h)
	} else {
		s.srv = httptest.NewServer(h)
	}
	t.Cleanup(s.srv.Close)
	return s
}

// url returns the server's ws:// or wss:// URL.
func (s *wsServer) url() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/"
}

func (s *wsServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// send writes each text as a text message.
func send(ctx context.Context, c *websocket.Conn, texts ...string) {
	for _, text := range texts {
		if err := c.Write(ctx, websocket.MessageText, []byte(text)); err != nil {
			return
		}
	}
}

// then sends texts, then ends the connection with end.
func then(end func(c *websocket.Conn), texts ...string) script {
	return func(ctx context.Context, c *websocket.Conn) {
		send(ctx, c, texts...)
		end(c)
	}
}

// drop closes the TCP connection without a close frame, as a broken
// connection ends.
func drop(c *websocket.Conn) { _ = c.CloseNow() }

// closeWith closes the connection with a close frame of code.
func closeWith(code websocket.StatusCode) func(c *websocket.Conn) {
	return func(c *websocket.Conn) { _ = c.Close(code, "test") }
}

// holdThenSignal sends texts, then keeps the connection open until the
// client goes away, and closes done.
func holdThenSignal(done chan<- struct{}, texts ...string) script {
	return func(ctx context.Context, c *websocket.Conn) {
		send(ctx, c, texts...)
		<-c.CloseRead(ctx).Done()
		close(done)
	}
}

// endless sends certificate updates until the client goes away.
func endless(pause time.Duration) script {
	return func(ctx context.Context, c *websocket.Conn) {
		for i := 0; ; i++ {
			if err := c.Write(ctx, websocket.MessageText, []byte(certUpdate(i))); err != nil {
				return
			}
			if pause > 0 {
				time.Sleep(pause)
			}
		}
	}
}

// certUpdate returns a certificate_update message in the server's form.
func certUpdate(i int) string {
	return fmt.Sprintf(`{"message_type": "certificate_update", "data": {"update_type": "X509LogEntry", `+
		`"leaf_cert": {"subject": {"CN": "www%[1]d.example.com"}, "all_domains": ["www%[1]d.example.com", "example.com"], `+
		`"not_before": 1529029459, "not_after": 1536805459}, "chain": [], "cert_index": %[1]d, `+
		`"cert_link": "https://ct.example.net/ct/v1/get-entries?start=%[1]d&end=%[1]d", `+
		`"seen": 1529079021.461669, "source": {"url": "ct.example.net/", "name": "Example CT log"}}}`, i)
}

// bigUpdate returns a certificate_update message of at least size bytes.
func bigUpdate(size int) string {
	return fmt.Sprintf(`{"message_type":"certificate_update","data":{"leaf_cert":{"all_domains":["big.example.com"],"as_der":%q}}}`,
		strings.Repeat("A", size))
}

const heartbeat = `{"message_type": "heartbeat", "timestamp": 1529079021.5}`

func params(t *testing.T, url string, extra map[string]any) botapi.MapParams {
	t.Helper()
	p := botapi.MapParams{}
	spec := Spec()
	for _, param := range spec.Params {
		if param.Default != nil {
			p[param.Name] = param.Default
		}
	}
	p[paramURL] = url
	for k, v := range extra {
		if spec.Param(k) == nil {
			t.Fatalf("no parameter %q", k)
		}
		p[k] = v
	}
	return p
}

var feed = &botapi.Feed{Name: "CertStream", Provider: "Calidog", Accuracy: 100}

func run(t *testing.T, url string, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = params(t, url, extra)
	c.Feed = feed
	return bottest.Run(t, c)
}

// TestCollect: certificate updates become reports with raw the message
// exactly (also one above the library's 32 KiB default limit); heartbeats,
// garbage and other messages are skipped; an abnormal close and a dropped
// connection are reconnected; the server's normal close ends the
// collection.
func TestCollect(t *testing.T) {
	big := bigUpdate(100 << 10)
	s := newWSServer(t, false,
		then(closeWith(websocket.StatusInternalError)),
		then(drop, heartbeat, certUpdate(1), "not json at all", `[1, 2]`, `{"message_type": "status"}`,
			`{"data": {}}`, `{"message_type": 5}`, big),
		then(closeWith(websocket.StatusNormalClosure), heartbeat, certUpdate(2)),
	)
	clk := clock.NewManual(bottest.Epoch)
	res := run(t, s.url(), nil, bottest.Case{Clock: clk, AllowedWarnings: 5})

	if diff := cmp.Diff([]string{certUpdate(1), big, certUpdate(2)}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "CertStream", "feed.provider": "Calidog",
		"feed.accuracy": 100.0, "raw": base64.StdEncoding.EncodeToString([]byte(certUpdate(1)))}, true, "")
	if got := res.Messages("")[0].GetString("time.observation"); got != "2016-01-01T00:00:01+00:00" {
		t.Errorf("time.observation %q, want the clock's time after the first delay", got)
	}
	if res.Messages("")[0].Has("feed.url") {
		t.Error("the report has feed.url; IntelMQ sets raw only")
	}

	res.AssertLogMatches(t, `^Skipping a frame of 15 bytes that is not JSON \(invalid character .*\): "not json at all"\.$`, "WARNING")
	res.AssertLogMatches(t, `^Skipping a frame of 6 bytes that is JSON but not an object: "\[1, 2\]"\.$`, "WARNING")
	res.AssertLogMatches(t, `^Skipping a message of type "status": only certificate_update messages become reports\.$`, "WARNING")
	res.AssertLogMatches(t, `^Skipping a JSON message without message_type: "\{\\"data\\": \{\}\}"\.$`, "WARNING")
	res.AssertLogMatches(t, `^Skipping a JSON message whose message_type is not a string`, "WARNING")
	res.AssertLogMatches(t, `^Skipping a heartbeat message\.$`, "DEBUG")
	res.AssertLogMatches(t, `^Connecting to the CertStream server at ws://127\.0\.0\.1:\d+/\.$`, "INFO")
	res.AssertLogMatches(t, `^Got error the server closed the stream at ws://.* with status 1011 \("test"\), reconnecting in 1s \(consecutive error count 1 <= 3\)\.$`, "INFO")
	res.AssertLogMatches(t, `^Got error the server dropped the connection at ws://127\.0\.0\.1:\d+/ without a close frame, reconnecting in 1s \(consecutive error count 1 <= 3\)\.$`, "INFO")
	res.AssertLogMatches(t, `^Stream stopped: the server closed the stream with status 1000 \("test"\), 3 reports sent, 5 messages skipped\.$`, "INFO")

	// The messages of the second connection reset the count and the delay.
	if diff := cmp.Diff([]time.Duration{time.Second, time.Second}, clk.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
	if n := s.count(); n != 3 {
		t.Errorf("%d connections, want 3", n)
	}
	if got := s.requests[0].Header.Get("User-Agent"); got != "intelmq-go" {
		t.Errorf("User-Agent %q", got)
	}
}

// TestErrorCountResets: any message received, a heartbeat too, resets the
// count of consecutive failures.
func TestErrorCountResets(t *testing.T) {
	s := newWSServer(t, false, then(drop, heartbeat), then(drop, heartbeat), then(drop, heartbeat),
		then(closeWith(websocket.StatusNormalClosure), certUpdate(1)))
	res := run(t, s.url(), map[string]any{"retries": int64(1)}, bottest.Case{})
	if diff := cmp.Diff([]string{certUpdate(1)}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if n := s.count(); n != 4 {
		t.Errorf("%d connections, want 4", n)
	}
}

// TestMaxReports ends an endless stream after max_reports.
func TestMaxReports(t *testing.T) {
	s := newWSServer(t, false, endless(0))
	res := run(t, s.url(), map[string]any{"max_reports": int64(3)}, bottest.Case{})
	if diff := cmp.Diff([]string{certUpdate(0), certUpdate(1), certUpdate(2)}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Stream stopped after max_reports, 3 reports sent\.$`, "INFO")
}

// TestMaxDuration ends an endless stream after max_duration, as
// "intelmq run --once" needs.
func TestMaxDuration(t *testing.T) {
	s := newWSServer(t, false, endless(5*time.Millisecond))
	res := run(t, s.url(), map[string]any{"max_duration": 100 * time.Millisecond}, bottest.Case{Clock: clock.System{}})
	got := res.Raws(t, "")
	if len(got) == 0 {
		t.Fatal("no report before max_duration")
	}
	for i, r := range got {
		if r != certUpdate(i) {
			t.Errorf("report %d is %q, want %q", i, r, certUpdate(i))
		}
	}
	res.AssertLogMatches(t, `^Stream stopped after max_duration 100ms, \d+ reports sent\.$`, "INFO")
}

// TestMessageTooBig drops a message above max_message_size, which closes
// the connection with status 1009; the collector reconnects and goes on.
func TestMessageTooBig(t *testing.T) {
	status := make(chan websocket.StatusCode, 1)
	s := newWSServer(t, false,
		func(ctx context.Context, c *websocket.Conn) {
			send(ctx, c, bigUpdate(2000))
			_, _, err := c.Read(ctx)
			status <- websocket.CloseStatus(err)
		},
		then(closeWith(websocket.StatusNormalClosure), certUpdate(1)),
	)
	res := run(t, s.url(), map[string]any{"max_message_size": int64(1024), "timeout": 2 * time.Second}, bottest.Case{AllowedErrors: 1})
	if diff := cmp.Diff([]string{certUpdate(1)}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Dropping a message of more than 1024 bytes \(max_message_size\); the connection is closed\.$`, "ERROR")
	res.AssertLogMatches(t, `^Got error a message of the stream at ws://.* exceeded max_message_size, reconnecting in 1s \(consecutive error count 1 <= 3\)\.$`, "INFO")
	if got := <-status; got != websocket.StatusMessageTooBig {
		t.Errorf("the client closed with status %d, want %d", got, websocket.StatusMessageTooBig)
	}
}

// TestHandshakeStatus: HTTP 503 to the handshake is retried with doubling
// delays, then fails the collection; 404 fails it at once.
func TestHandshakeStatus(t *testing.T) {
	s := newWSServer(t, false, nil)
	clk := clock.NewManual(bottest.Epoch)
	res := run(t, s.url(), map[string]any{"retries": int64(2)}, bottest.Case{Clock: clk, AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `the stream at ws://.* failed 3 times in a row: the server at ws://.* answered the WebSocket handshake with HTTP status 503`, "ERROR")
	if n := s.count(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second}, clk.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}

	notFound := httptest.NewServer(nethttp.NotFoundHandler())
	defer notFound.Close()
	res = run(t, notFound.URL+"/stream", nil, bottest.Case{AllowedErrors: 1})
	res.AssertLogMatches(t, `answered the WebSocket handshake with HTTP status 404`, "ERROR")
	res.AssertNotLogMatches(t, `reconnecting`, "")
}

// TestIdleTimeout: a connection silent for longer than timeout counts as
// broken.
func TestIdleTimeout(t *testing.T) {
	s := newWSServer(t, false, func(ctx context.Context, c *websocket.Conn) {
		send(ctx, c, certUpdate(1))
		<-c.CloseRead(ctx).Done()
	})
	res := run(t, s.url(), map[string]any{"retries": int64(0), "timeout": 100 * time.Millisecond}, bottest.Case{AllowedErrors: 1})
	if diff := cmp.Diff([]string{certUpdate(1)}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `failed 1 times in a row: reading the stream at ws://.*timeout`, "ERROR")
}

// TestTLS checks verification against the system roots, a ca_file, and
// verify_cert = false.
func TestTLS(t *testing.T) {
	s := newWSServer(t, true, then(closeWith(websocket.StatusNormalClosure), certUpdate(1)))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.url(), "wss://") {
		t.Fatalf("url %s", s.url())
	}
	res := run(t, s.url(), map[string]any{"retries": int64(0)}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `certificate`, "ERROR")

	for name, extra := range map[string]map[string]any{
		"ca_file":           {"ca_file": caFile},
		"verification off":  {"verify_cert": false},
		"relative ca_file":  {"ca_file": "ca.pem"},
		"ca_file and check": {"ca_file": caFile, "verify_cert": true},
	} {
		t.Run(name, func(t *testing.T) {
			res := run(t, s.url(), extra, bottest.Case{BaseDir: filepath.Dir(caFile)})
			if diff := cmp.Diff([]string{certUpdate(1)}, res.Raws(t, "")); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBadCAFile: an unusable ca_file stops the bot at Start.
func TestBadCAFile(t *testing.T) {
	b, err := New(&botapi.Context{}, params(t, DefaultURL, map[string]any{"ca_file": filepath.Join(t.TempDir(), "none.pem")}))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.(botapi.Starter).Start(context.Background()); !errors.Is(err, botapi.ErrFatal) {
		t.Errorf("Start with a missing ca_file: %v, want a fatal error", err)
	}
}

// emitFunc is a botapi.Emitter.
type emitFunc func(ctx context.Context, r *message.Message) error

func (f emitFunc) Emit(ctx context.Context, r *message.Message) error { return f(ctx, r) }

// startCollect builds and starts the collector and runs Collect in a
// goroutine; the channel receives its result.
func startCollect(t *testing.T, ctx context.Context, url string, out botapi.Emitter) <-chan error {
	t.Helper()
	bc := &botapi.Context{ID: "certstream-collector", Logger: slog.New(slog.DiscardHandler), Clock: clock.System{},
		Schema: harmonization.Default(), Feed: feed}
	b, err := New(bc, params(t, url, nil))
	if err != nil {
		t.Fatal(err)
	}
	c := b.(*Collector)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	done := make(chan error, 1)
	go func() { done <- c.Collect(ctx, out) }()
	return done
}

func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// TestCancelWhileReading: cancelling the context stops Collect with
// ctx.Err() and closes the connection.
func TestCancelWhileReading(t *testing.T) {
	closed := make(chan struct{})
	s := newWSServer(t, false, holdThenSignal(closed, certUpdate(1)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	emitted := make(chan string, 10)
	done := startCollect(t, ctx, s.url(), emitFunc(func(ctx context.Context, r *message.Message) error {
		raw, err := r.RawText()
		if err != nil {
			return err
		}
		emitted <- raw
		return nil
	}))
	if got := waitFor(t, emitted, "the report"); got != certUpdate(1) {
		t.Errorf("report %q", got)
	}
	cancel()
	if err := waitFor(t, done, "Collect to return"); !errors.Is(err, context.Canceled) {
		t.Errorf("Collect returned %v, want context.Canceled", err)
	}
	waitFor(t, closed, "the server to see the connection closed")
}

// TestBackpressure: while Emit blocks (a full queue), nothing more is read
// or emitted; cancelling the context ends the blocked collection.
func TestBackpressure(t *testing.T) {
	closed := make(chan struct{})
	s := newWSServer(t, false, holdThenSignal(closed, certUpdate(1), certUpdate(2), certUpdate(3)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	calls := 0
	blocked := make(chan struct{})
	done := startCollect(t, ctx, s.url(), emitFunc(func(ctx context.Context, r *message.Message) error {
		mu.Lock()
		calls++
		mu.Unlock()
		close(blocked) // a second call would panic
		<-ctx.Done()
		return ctx.Err()
	}))
	waitFor(t, blocked, "the first Emit")
	time.Sleep(20 * time.Millisecond) // room for a wrong second Emit
	cancel()
	if err := waitFor(t, done, "Collect to return"); !errors.Is(err, context.Canceled) {
		t.Errorf("Collect returned %v, want context.Canceled", err)
	}
	waitFor(t, closed, "the server to see the connection closed")
	mu.Lock()
	defer mu.Unlock()
	if calls != 1 {
		t.Errorf("Emit called %d times while blocked, want 1", calls)
	}
}

func TestValidate(t *testing.T) {
	for name, extra := range map[string]map[string]any{
		"relative url":  {"url": "/stream"},
		"ftp url":       {"url": "ftp://certstream.example/"},
		"no host":       {"url": "wss:///"},
		"zero timeout":  {"timeout": time.Duration(0)},
		"negative try":  {"retries": int64(-1)},
		"no message":    {"max_message_size": int64(0)},
		"bad proxy":     {"proxy": "proxy:3128"},
		"negative max":  {"max_reports": int64(-1)},
		"negative size": {"max_message_size": int64(-5)},
	} {
		b, err := New(&botapi.Context{}, params(t, DefaultURL, extra))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, extra)
		}
	}
	for _, url := range []string{DefaultURL, "ws://127.0.0.1:4000/full-stream", "https://certstream.example/"} {
		b, _ := New(&botapi.Context{}, params(t, url, nil))
		if err := b.(botapi.Validator).Validate(); err != nil {
			t.Errorf("Validate rejected %s: %v", url, err)
		}
	}
}

func TestRegister(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	spec := Spec()
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	if p := spec.Param(paramURL); p == nil || p.Default != DefaultURL {
		t.Errorf("url parameter %+v", p)
	}
}
