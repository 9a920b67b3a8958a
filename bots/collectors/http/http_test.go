// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

var epoch = time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)

// newCollector builds and starts a collector with the given parameters
// (plus the spec's defaults) and a manual clock.
func newCollector(t *testing.T, params map[string]any) (*Collector, *clock.Manual) {
	t.Helper()
	return newCollectorHint(t, params, nil)
}

// newCollectorHint is newCollector for a feed whose parser the runtime
// describes with hint.
func newCollectorHint(t *testing.T, params map[string]any, hint *botapi.ParserHint) (*Collector, *clock.Manual) {
	t.Helper()
	clk := clock.NewManual(epoch)
	p, err := conformance.Params(Spec(), params)
	if err != nil {
		t.Fatal(err)
	}
	bc := &botapi.Context{ID: "http-collector", Clock: clk, Feed: &botapi.Feed{Name: "Example feed", Accuracy: 100, Parser: hint}}
	bot, err := New(bc, p)
	if err != nil {
		t.Fatal(err)
	}
	c := bot.(*Collector)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, clk
}

// collect runs one collection and returns the reports as flat maps.
func collect(t *testing.T, c *Collector) ([]map[string]string, error) {
	t.Helper()
	rec := conformance.NewRecorder()
	err := c.Collect(context.Background(), rec)
	var out []map[string]string
	for _, m := range rec.Messages(t, botapi.DefaultPath) {
		out = append(out, flatten(m))
	}
	return out, err
}

func flatten(m *message.Message) map[string]string {
	out := map[string]string{}
	m.Range(func(k string, v harmonization.Value) bool {
		out[k] = v.String()
		return true
	})
	if raw, err := m.RawText(); err == nil {
		out["raw"] = raw
	}
	return out
}

// serveAssets serves IntelMQ's test assets from testdata.
func serveAssets(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(nethttp.FileServer(nethttp.Dir("testdata")))
	t.Cleanup(srv.Close)
	return srv
}

// TestIntelMQAssets follows IntelMQ's collector tests on its own assets.
func TestIntelMQAssets(t *testing.T) {
	srv := serveAssets(t)
	report := func(file, raw, name string) map[string]string {
		r := map[string]string{"feed.name": "Example feed", "feed.accuracy": "100.0",
			"feed.url": srv.URL + "/" + file, "raw": raw, "time.observation": "2024-03-05T07:08:09+00:00"}
		if name != "" {
			r["extra.file_name"] = name
		}
		return r
	}
	tests := []struct {
		name   string
		file   string
		params map[string]any
		want   []map[string]string
	}{
		{"tar.gz with two files", "two_files.tar.gz", map[string]any{"extract_files": []any{"*"}},
			[]map[string]string{report("two_files.tar.gz", "bar text\n", "bar"), report("two_files.tar.gz", "foo text\n", "foo")}},
		{"gzip", "foobar.gz", map[string]any{"extract_files": []any{"*"}},
			[]map[string]string{report("foobar.gz", "bar text\n", "")}},
		{"zip detected without extract_files", "two_files.zip", nil,
			[]map[string]string{report("two_files.zip", "bar text\n", "bar"), report("two_files.zip", "foo text\n", "foo")}},
		{"zip with a list of names", "two_files.zip", map[string]any{"extract_files": "bar,foo"},
			[]map[string]string{report("two_files.zip", "bar text\n", "bar"), report("two_files.zip", "foo text\n", "foo")}},
		{"zip with one name", "two_files.zip", map[string]any{"extract_files": []any{"foo"}},
			[]map[string]string{report("two_files.zip", "foo text\n", "foo")}},
		{"zip with subdirectories", "subdir.zip", nil,
			[]map[string]string{report("subdir.zip", "bar text\n", "subdir/bar"), report("subdir.zip", "foo text\n", "subdir/foo")}},
		{"zip with a pattern", "subdir.zip", map[string]any{"extract_files": []any{"subdir/f*"}},
			[]map[string]string{report("subdir.zip", "foo text\n", "subdir/foo")}},
		{"plain text", "foobar.txt", nil, []map[string]string{report("foobar.txt", "bar text\n", "")}},
	}
	for _, tt := range tests {
		params := map[string]any{"url": srv.URL + "/" + tt.file}
		for k, v := range tt.params {
			params[k] = v
		}
		c, _ := newCollector(t, params)
		got, err := collect(t, c)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestConditionalRequests: the second download sends the validators of the
// first; a 304 produces no report, a changed document a new one.
func TestConditionalRequests(t *testing.T) {
	var mu sync.Mutex
	body, etag := "v1\n", `"1"`
	var seen []string
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Header.Get("If-None-Match")+"|"+r.Header.Get("If-Modified-Since"))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(nethttp.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Tue, 05 Mar 2024 07:00:00 GMT")
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	c, _ := newCollector(t, map[string]any{"url": srv.URL + "/feed.csv"})
	counts := []int{}
	for i := 0; i < 3; i++ {
		if i == 2 {
			mu.Lock()
			body, etag = "v2\n", `"2"`
			mu.Unlock()
		}
		got, err := collect(t, c)
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, len(got))
	}
	if diff := cmp.Diff([]int{1, 0, 1}, counts); diff != "" {
		t.Errorf("reports per collection (-want +got):\n%s", diff)
	}
	want := []string{"|", `"1"|Tue, 05 Mar 2024 07:00:00 GMT`, `"1"|Tue, 05 Mar 2024 07:00:00 GMT`}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("conditional headers sent (-want +got):\n%s", diff)
	}
}

func TestConditionalOff(t *testing.T) {
	var conditional atomic.Int32
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if r.Header.Get("If-None-Match") != "" {
			conditional.Add(1)
		}
		w.Header().Set("ETag", `"x"`)
		fmt.Fprint(w, "data\n")
	}))
	defer srv.Close()
	c, _ := newCollector(t, map[string]any{"url": srv.URL, "conditional": false})
	for i := 0; i < 2; i++ {
		if got, err := collect(t, c); err != nil || len(got) != 1 {
			t.Fatalf("collection %d: %d reports, %v", i, len(got), err)
		}
	}
	if n := conditional.Load(); n != 0 {
		t.Errorf("%d conditional requests with conditional = false", n)
	}
}

// TestRetries: 503 twice then 200 gives one report after three requests,
// with the doubling delays slept on the bot's clock.
func TestRetries(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(nethttp.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ok\n")
	}))
	defer srv.Close()
	c, clk := newCollector(t, map[string]any{"url": srv.URL})
	got, err := collect(t, c)
	if err != nil || len(got) != 1 {
		t.Fatalf("got %d reports, %v; want 1", len(got), err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second}, clk.Sleeps()); diff != "" {
		t.Errorf("sleeps between attempts (-want +got):\n%s", diff)
	}
}

func TestRetriesExhausted(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		calls.Add(1)
		w.WriteHeader(nethttp.StatusBadGateway)
	}))
	defer srv.Close()
	c, _ := newCollector(t, map[string]any{"url": srv.URL, "retries": 1})
	_, err := collect(t, c)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 502 || !errors.Is(err, ErrStatus) {
		t.Fatalf("error = %v, want a StatusError 502", err)
	}
	if !strings.Contains(err.Error(), "502") {
		t.Errorf("error %q does not name the status", err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d requests with retries = 1, want 2", n)
	}
}

// TestClientErrorNotRetried: a 404 fails at once.
func TestClientErrorNotRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		calls.Add(1)
		nethttp.NotFound(w, r)
	}))
	defer srv.Close()
	c, _ := newCollector(t, map[string]any{"url": srv.URL})
	_, err := collect(t, c)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 404 {
		t.Fatalf("error = %v, want a StatusError 404", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d requests for a 404, want 1", n)
	}
}

func TestNetworkErrorRetried(t *testing.T) {
	srv := httptest.NewServer(nethttp.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, clk := newCollector(t, map[string]any{"url": url, "retries": 2})
	if _, err := collect(t, c); err == nil {
		t.Fatal("no error for a closed server")
	}
	if n := len(clk.Sleeps()); n != 2 {
		t.Errorf("%d retries of a connection error, want 2", n)
	}
}

// TestRequestHeaders checks user agent, basic authentication and headers.
func TestRequestHeaders(t *testing.T) {
	var got nethttp.Header
	var user, pass string
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		got = r.Header.Clone()
		user, pass, _ = r.BasicAuth()
		fmt.Fprint(w, "x\n")
	}))
	defer srv.Close()
	c, _ := newCollector(t, map[string]any{"url": srv.URL, "user_agent": "test-agent/1", "username": "u",
		"password": "p:w", "headers": map[string]any{"X-Api-Key": "k1"}})
	if _, err := collect(t, c); err != nil {
		t.Fatal(err)
	}
	if ua := got.Get("User-Agent"); ua != "test-agent/1" {
		t.Errorf("User-Agent %q", ua)
	}
	if user != "u" || pass != "p:w" {
		t.Errorf("basic auth %q:%q", user, pass)
	}
	if k := got.Get("X-Api-Key"); k != "k1" {
		t.Errorf("X-Api-Key %q", k)
	}
}

// TestURLFormatting expands {time[...]} with the bot's clock and offset.
func TestURLFormatting(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		paths = append(paths, r.URL.Path)
		fmt.Fprint(w, "x\n")
	}))
	defer srv.Close()
	c, _ := newCollector(t, map[string]any{"url": srv.URL + "/{time[%Y]}/{time[%Y-%m-%d]}.txt",
		"url_formatting": true, "url_time_offset": "-24h"})
	got, err := collect(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"/2024/2024-03-04.txt"}, paths); diff != "" {
		t.Errorf("requested (-want +got):\n%s", diff)
	}
	if u := got[0]["feed.url"]; u != srv.URL+"/2024/2024-03-04.txt" {
		t.Errorf("feed.url %q", u)
	}
}

func TestEmptyDocumentGivesNoReport(t *testing.T) {
	srv := httptest.NewServer(nethttp.HandlerFunc(func(nethttp.ResponseWriter, *nethttp.Request) {}))
	defer srv.Close()
	c, _ := newCollector(t, map[string]any{"url": srv.URL})
	got, err := collect(t, c)
	if err != nil || len(got) != 0 {
		t.Errorf("empty document: %d reports, %v; want none", len(got), err)
	}
}

func TestMaxSize(t *testing.T) {
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		fmt.Fprint(w, strings.Repeat("x", 100))
	}))
	defer srv.Close()
	c, clk := newCollector(t, map[string]any{"url": srv.URL, "max_size": 99})
	if _, err := collect(t, c); !errors.Is(err, errTooLarge) {
		t.Errorf("error = %v, want errTooLarge", err)
	}
	if n := len(clk.Sleeps()); n != 0 {
		t.Errorf("a too large document was retried %d times", n)
	}
	c, _ = newCollector(t, map[string]any{"url": srv.URL, "max_size": 100})
	if got, err := collect(t, c); err != nil || len(got) != 1 {
		t.Errorf("max_size 100: %d reports, %v", len(got), err)
	}
}

// TestTLS checks verification against the system roots, a ca_file, and
// verify_cert = false.
func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		fmt.Fprint(w, "secure\n")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is expected
	srv.StartTLS()
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		params map[string]any
		ok     bool
	}{
		{"untrusted certificate", nil, false},
		{"ca_file", map[string]any{"ca_file": caFile}, true},
		{"verification off", map[string]any{"verify_cert": false}, true},
	}
	for _, tt := range tests {
		params := map[string]any{"url": srv.URL, "retries": 0}
		for k, v := range tt.params {
			params[k] = v
		}
		c, _ := newCollector(t, params)
		got, err := collect(t, c)
		if tt.ok && (err != nil || len(got) != 1) {
			t.Errorf("%s: %d reports, %v; want 1", tt.name, len(got), err)
		}
		if !tt.ok && err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

// TestProxy sends the request through a proxy, which sees the absolute
// target URL.
func TestProxy(t *testing.T) {
	var proxied string
	proxy := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		proxied = r.URL.String()
		fmt.Fprint(w, "via proxy\n")
	}))
	defer proxy.Close()
	c, _ := newCollector(t, map[string]any{"url": "http://feed.invalid/list.txt", "proxy": proxy.URL})
	got, err := collect(t, c)
	if err != nil || len(got) != 1 {
		t.Fatalf("%d reports, %v", len(got), err)
	}
	if proxied != "http://feed.invalid/list.txt" {
		t.Errorf("the proxy saw %q", proxied)
	}
	if got[0]["raw"] != "via proxy\n" {
		t.Errorf("raw %q", got[0]["raw"])
	}
}

// TestValidateParamError checks that a value one parameter refuses is a
// *botapi.ParamError naming that parameter, so that "intelmq validate"
// points at the value, and that a combination of parameters is not.
func TestValidateParamError(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]any
		want   string // the parameter; "" for a combination
	}{
		{"relative url", map[string]any{"url": "/x"}, "url"},
		{"ftp url", map[string]any{"url": "ftp://example.com/x"}, "url"},
		{"unknown placeholder", map[string]any{"url": "https://e.com/{event[x]}", "url_formatting": true}, "url"},
		{"unclosed placeholder", map[string]any{"url": "https://e.com/{time[%Y]", "url_formatting": true}, "url"},
		{"bad pattern", map[string]any{"url": "https://e.com/", "extract_files": []any{"*.csv", "["}}, "extract_files"},
		{"negative retries", map[string]any{"url": "https://e.com/", "retries": -1}, "retries"},
		{"negative max_size", map[string]any{"url": "https://e.com/", "max_size": -1}, "max_size"},
		{"proxy without host", map[string]any{"url": "https://e.com/", "proxy": "proxy.example"}, "proxy"},
		{"zero chunk size", map[string]any{"url": "https://e.com/", "chunk_auto_size": 0}, "chunk_auto_size"},
		{"relative signature_url", map[string]any{"url": "https://e.com/", "verify_pgp_signatures": true,
			"signature_url": "list.asc", "gpg_keyring": "key.asc"}, "signature_url"},
		{"key without certificate", map[string]any{"url": "https://e.com/", "client_key": "k.pem"}, ""},
		{"no signature_url", map[string]any{"url": "https://e.com/", "verify_pgp_signatures": true}, ""},
	}
	for _, tt := range tests {
		conformance.CheckParamError(t, tt.name, conformance.ConfigError(t, Spec(), New, tt.params), tt.want)
	}
}

// TestCheckHelpersParamError checks that the exported checks other
// collectors share name the parameter with a *botapi.ParamError.
func TestCheckHelpersParamError(t *testing.T) {
	_, proxyErr := Proxy("not a proxy")
	for _, tt := range []struct {
		err  error
		want string
	}{
		{CheckURL("api_url", "example.com/api"), "api_url"},
		{CheckPattern("extract_files", "[a-"), "extract_files"},
		{ClientConfig{Retries: -1}.Check(), APIParamRetries},
		{ClientConfig{MaxSize: -1}.Check(), APIParamMaxSize},
		{proxyErr, APIParamProxy},
	} {
		var pe *botapi.ParamError
		if !errors.As(tt.err, &pe) || pe.Name != tt.want {
			t.Errorf("%v: want a *botapi.ParamError about %q", tt.err, tt.want)
		}
	}
	for _, err := range []error{CheckURL("api_url", "https://example.com/api"), CheckPattern("extract_files", "*.csv"),
		ClientConfig{Retries: 2}.Check()} {
		if err != nil {
			t.Errorf("a good value refused: %v", err)
		}
	}
}

func TestStartBadCAFile(t *testing.T) {
	p, _ := conformance.Params(Spec(), map[string]any{"url": "https://e.com/", "ca_file": filepath.Join(t.TempDir(), "none.pem")})
	bot, err := New(&botapi.Context{Clock: clock.NewManual(epoch)}, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.(*Collector).Start(context.Background()); !errors.Is(err, botapi.ErrFatal) {
		t.Errorf("Start with a missing ca_file: error = %v, want a fatal error", err)
	}
}

// TestWithRunner runs the collector in the runner (bottest): one report
// per file of the zip, with the feed's fields.
func TestWithRunner(t *testing.T) {
	srv := serveAssets(t)
	p, err := conformance.Params(Spec(), map[string]any{"url": srv.URL + "/two_files.zip"})
	if err != nil {
		t.Fatal(err)
	}
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindCollector, New: New, Params: p,
		Feed: &botapi.Feed{Name: "Example feed", Provider: "Example", Accuracy: 100}})
	res.AssertOutputLen(t, "", 2)
	for i, name := range []string{"bar", "foo"} {
		res.AssertMessageEqual(t, i, map[string]any{"feed.name": "Example feed", "feed.provider": "Example",
			"feed.accuracy": 100.0, "feed.url": srv.URL + "/two_files.zip", "extra.file_name": name,
			"raw": base64.StdEncoding.EncodeToString([]byte(name + " text\n"))}, true, "")
	}
	res.AssertLogMatches(t, "Downloading report from '"+regexp.QuoteMeta(srv.URL)+"/two_files.zip'.", "INFO")
	res.AssertLogMatches(t, "Extracting files: 'bar', 'foo'.", "INFO")
}

// TestWithRunnerStatusError: a 404 fails the collection with an error that
// names the status.
func TestWithRunnerStatusError(t *testing.T) {
	srv := httptest.NewServer(nethttp.NotFoundHandler())
	defer srv.Close()
	p, _ := conformance.Params(Spec(), map[string]any{"url": srv.URL})
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindCollector, New: New, Params: p, AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, "404", "ERROR")
}
