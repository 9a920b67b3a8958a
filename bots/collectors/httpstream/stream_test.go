// SPDX-License-Identifier: AGPL-3.0-or-later

package httpstream

import (
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// streamServer serves one scripted answer per connection, in order; the
// last one repeats.
type streamServer struct {
	srv      *httptest.Server
	mu       sync.Mutex
	answers  []func(w nethttp.ResponseWriter, r *nethttp.Request)
	requests []*nethttp.Request
}

func newStreamServer(t *testing.T, answers ...func(w nethttp.ResponseWriter, r *nethttp.Request)) *streamServer {
	s := &streamServer{answers: answers}
	s.srv = httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		s.mu.Lock()
		n := len(s.requests)
		s.requests = append(s.requests, r.Clone(r.Context()))
		a := s.answers[min(n, len(s.answers)-1)]
		s.mu.Unlock()
		a(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *streamServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// lines streams the given text, flushed, then ends the response.
func lines(text string) func(w nethttp.ResponseWriter, r *nethttp.Request) {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) {
		for _, part := range strings.SplitAfter(text, "\n") {
			_, _ = w.Write([]byte(part))
			w.(nethttp.Flusher).Flush()
		}
	}
}

// broken streams text in a chunked response and drops the connection
// without ending it, as a failing stream does.
func broken(text string) func(w nethttp.ResponseWriter, r *nethttp.Request) {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) {
		conn, buf, err := w.(nethttp.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n%x\r\n%s\r\n", len(text), text)
		_ = buf.Flush()
		_ = conn.Close()
	}
}

// endless streams numbered lines until the client goes away.
func endless(pause time.Duration) func(w nethttp.ResponseWriter, r *nethttp.Request) {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) {
		for i := 0; r.Context().Err() == nil; i++ {
			if _, err := fmt.Fprintf(w, "{\"n\": %d}\n", i); err != nil {
				return
			}
			w.(nethttp.Flusher).Flush()
			if pause > 0 {
				time.Sleep(pause)
			}
		}
	}
}

func status(code int) func(w nethttp.ResponseWriter, r *nethttp.Request) {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) { w.WriteHeader(code) }
}

func streamParams(url string, extra map[string]any) botapi.MapParams {
	p := botapi.MapParams{}
	for _, param := range StreamSpec().Params {
		if param.Default != nil {
			p[param.Name] = param.Default
		}
	}
	p["url"] = url
	for k, v := range extra {
		p[k] = v
	}
	return p
}

var feed = &botapi.Feed{Name: "Stream", Provider: "Example", Accuracy: 100}

func runStream(t *testing.T, url string, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	c.Kind = botapi.KindCollector
	c.New = NewStream
	c.Params = streamParams(url, extra)
	c.Feed = feed
	return bottest.Run(t, c)
}

// TestStreamLines: each non-empty line is a report with feed.url; blanks
// are stripped with strip_lines; the stream's end ends the collection.
func TestStreamLines(t *testing.T) {
	s := newStreamServer(t, lines("{\"a\": 1}\n\n  {\"b\": 2}  \r\n\r\n{\"c\": 3}"))
	res := runStream(t, s.srv.URL+"/stream?key=secret", nil, bottest.Case{})
	if diff := cmp.Diff([]string{`{"a": 1}`, `{"b": 2}`, `{"c": 3}`}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Stream", "feed.provider": "Example", "feed.accuracy": 100.0,
		"feed.url": s.srv.URL + "/stream?key=secret", "raw": "eyJhIjogMX0="}, true, "")
	res.AssertLogMatches(t, `^Connecting to stream at http://.*/stream\?key=\*\*\*\.$`, "INFO")
	res.AssertNotLogMatches(t, `secret`, "")
	res.AssertLogMatches(t, `^Stream stopped, 3 reports sent\.$`, "INFO")
	if got := s.requests[0].Header.Get("User-Agent"); got != "intelmq-go" {
		t.Errorf("User-Agent %q", got)
	}

	res = runStream(t, s.srv.URL, map[string]any{"strip_lines": false}, bottest.Case{})
	if diff := cmp.Diff([]string{`{"a": 1}`, `  {"b": 2}  `, `{"c": 3}`}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports without strip_lines (-want +got):\n%s", diff)
	}
}

// TestStreamAuth sends basic authentication and the headers.
func TestStreamAuth(t *testing.T) {
	s := newStreamServer(t, func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != "pw" || r.Header.Get("X-Feed") != "1" {
			w.WriteHeader(nethttp.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	res := runStream(t, s.srv.URL, map[string]any{"username": "user", "password": "pw", "headers": map[string]string{"X-Feed": "1"}}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res = runStream(t, s.srv.URL, nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `HTTP response status code was 401`, "")
	if n := s.count(); n != 2 {
		t.Errorf("%d requests, want 2 (a 401 is not retried)", n)
	}
}

// TestStreamReconnects: a broken stream sends its complete lines, drops
// the cut-off one and reconnects after a delay; the next stream goes on.
func TestStreamReconnects(t *testing.T) {
	s := newStreamServer(t, broken("one\ntwo\npart"), lines("three\n"))
	clk := clock.NewManual(bottest.Epoch)
	res := runStream(t, s.srv.URL, nil, bottest.Case{Clock: clk, AllowedWarnings: 1})
	if diff := cmp.Diff([]string{"one", "two", "three"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Dropping an incomplete line of 4 bytes`, "WARNING")
	res.AssertLogMatches(t, `reconnecting in 1s \(consecutive error count 1 <= 3\)`, "INFO")
	if diff := cmp.Diff([]time.Duration{time.Second}, clk.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

// TestStreamGivesUp: consecutive failures beyond retries fail the
// collection, with doubling delays between the attempts.
func TestStreamGivesUp(t *testing.T) {
	s := newStreamServer(t, status(nethttp.StatusServiceUnavailable))
	clk := clock.NewManual(bottest.Epoch)
	res := runStream(t, s.srv.URL, map[string]any{"retries": int64(2)}, bottest.Case{Clock: clk, AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `the stream at http://.* failed 3 times in a row: HTTP response status code was 503`, "")
	if n := s.count(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second}, clk.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

// TestStreamErrorCountResets: a line received resets the count of
// consecutive failures.
func TestStreamErrorCountResets(t *testing.T) {
	s := newStreamServer(t, broken("a\n"), broken("b\n"), broken("c\n"), lines("d\n"))
	res := runStream(t, s.srv.URL, map[string]any{"retries": int64(1)}, bottest.Case{})
	if diff := cmp.Diff([]string{"a", "b", "c", "d"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

// TestStreamMaxReports ends an endless stream after max_reports.
func TestStreamMaxReports(t *testing.T) {
	s := newStreamServer(t, endless(0))
	res := runStream(t, s.srv.URL, map[string]any{"max_reports": int64(5)}, bottest.Case{})
	if diff := cmp.Diff([]string{`{"n": 0}`, `{"n": 1}`, `{"n": 2}`, `{"n": 3}`, `{"n": 4}`}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Stream stopped after max_reports, 5 reports sent\.$`, "INFO")
}

// TestStreamMaxDuration ends an endless stream after max_duration, as
// "intelmq run --once" needs; every report sent is a complete line.
func TestStreamMaxDuration(t *testing.T) {
	s := newStreamServer(t, endless(5*time.Millisecond))
	res := runStream(t, s.srv.URL, map[string]any{"max_duration": 100 * time.Millisecond}, bottest.Case{Clock: clock.System{}})
	got := res.Raws(t, "")
	if len(got) == 0 {
		t.Fatal("no report before max_duration")
	}
	for i, r := range got {
		if want := fmt.Sprintf(`{"n": %d}`, i); r != want {
			t.Errorf("report %d is %q, want %q", i, r, want)
		}
	}
	res.AssertLogMatches(t, `^Stream stopped after max_duration 100ms, \d+ reports sent\.$`, "INFO")
}

// TestStreamIdleTimeout: a stream silent for longer than timeout counts as
// broken.
func TestStreamIdleTimeout(t *testing.T) {
	s := newStreamServer(t, func(w nethttp.ResponseWriter, r *nethttp.Request) {
		_, _ = w.Write([]byte("first\n"))
		w.(nethttp.Flusher).Flush()
		<-r.Context().Done()
	})
	res := runStream(t, s.srv.URL, map[string]any{"retries": int64(0), "timeout": 50 * time.Millisecond}, bottest.Case{AllowedErrors: 1})
	if diff := cmp.Diff([]string{"first"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `reading the stream at .*timeout`, "")
}

// TestStreamLongLine drops a line above max_line_size and goes on.
func TestStreamLongLine(t *testing.T) {
	s := newStreamServer(t, lines("short\n"+strings.Repeat("x", 200<<10)+"\nafter\n"))
	res := runStream(t, s.srv.URL, map[string]any{"max_line_size": int64(100 << 10)}, bottest.Case{AllowedErrors: 1})
	if diff := cmp.Diff([]string{"short", "after"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Dropping a line of more than 102400 bytes`, "ERROR")
}

func TestStreamValidate(t *testing.T) {
	for name, extra := range map[string]map[string]any{
		"relative url": {"url": "/stream"},
		"ftp url":      {"url": "ftp://example.com/"},
		"zero timeout": {"timeout": time.Duration(0)},
		"negative try": {"retries": int64(-1)},
		"no line":      {"max_line_size": int64(0)},
		"bad proxy":    {"proxy": "proxy:3128"},
		"negative max": {"max_reports": int64(-1)},
	} {
		b, err := NewStream(&botapi.Context{}, streamParams("https://example.com/s", extra))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, extra)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://prod.cyberfeed.net/stream?key=abc":   "https://prod.cyberfeed.net/stream?key=***",
		"https://example.com/s?format=json":           "https://example.com/s?format=json",
		"https://example.com/s?api_key=a&format=json": "https://example.com/s?api_key=***&format=json",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
