// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"bytes"
	"context"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

func params(extra map[string]any) botapi.MapParams {
	p := bottest.Params(Spec())
	p["host"] = "127.0.0.1"
	for k, v := range extra {
		p[k] = v
	}
	return p
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int64 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return int64(ln.Addr().(*net.TCPAddr).Port)
}

// socketDir returns a short directory for unix sockets, whose paths are
// limited to about 100 bytes.
func socketDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "api")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// client posts to the collector once it listens.
type client struct {
	t    *testing.T
	http *nethttp.Client
	base string
}

func tcpClient(t *testing.T, port int64) *client {
	return &client{t: t, http: &nethttp.Client{Timeout: 10 * time.Second}, base: "http://127.0.0.1:" + strconv.FormatInt(port, 10)}
}

func socketClient(t *testing.T, path string) *client {
	tr := &nethttp.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}
	return &client{t: t, http: &nethttp.Client{Transport: tr, Timeout: 10 * time.Second}, base: "http://unix"}
}

// do sends a request, retrying while the listener is not up yet, and
// returns the status.
func (c *client) do(method, path, auth string, body []byte) int {
	c.t.Helper()
	for attempt := 0; ; attempt++ {
		req, err := nethttp.NewRequest(method, c.base+path, bytes.NewReader(body))
		if err != nil {
			c.t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			if attempt < 500 {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
}

// runAsync runs the collector under the harness while the test posts.
func runAsync(t *testing.T, p botapi.MapParams, c bottest.Case) func() *bottest.Result {
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = p
	c.Feed = &botapi.Feed{Name: "Enterprise Callback", Provider: "Have I Been Pwned", Accuracy: 100}
	var res *bottest.Result
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		res = bottest.Run(t, c)
	}()
	return func() *bottest.Result {
		wg.Wait()
		return res
	}
}

// TestPush: each POST body to the path is a report, answered 200; the
// collection ends after max_reports.
func TestPush(t *testing.T) {
	port := freePort(t)
	wait := runAsync(t, params(map[string]any{"port": port, "max_reports": int64(2)}), bottest.Case{})
	c := tcpClient(t, port)
	for _, body := range []string{`{"Email": "a@example.com", "Breach": "X"}`, "second\nreport\n"} {
		if code := c.do("POST", "/intelmq/push", "", []byte(body)); code != nethttp.StatusOK {
			t.Errorf("POST answered %d, want 200", code)
		}
	}
	res := wait()
	if diff := cmp.Diff([]string{`{"Email": "a@example.com", "Breach": "X"}`, "second\nreport\n"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertMessageEqual(t, 1, map[string]any{"feed.name": "Enterprise Callback", "feed.provider": "Have I Been Pwned",
		"feed.accuracy": 100.0, "raw": "c2Vjb25kCnJlcG9ydAo="}, true, "")
	res.AssertLogMatches(t, `^Listening on 127\.0\.0\.1:\d+ for POST requests to /intelmq/push\.$`, "INFO")
	res.AssertLogMatches(t, `^Collection ended after max_reports, 2 reports sent\.$`, "INFO")
}

// TestRefused: other paths, methods, empty and too large bodies and a
// missing or wrong token are refused and send nothing.
func TestRefused(t *testing.T) {
	port := freePort(t)
	wait := runAsync(t, params(map[string]any{"port": port, "max_reports": int64(2), "token": "s3cret",
		"path": "/hibp", "max_size": int64(16)}), bottest.Case{AllowedWarnings: 3})
	c := tcpClient(t, port)
	for _, tc := range []struct {
		method, path, auth, body string
		want                     int
	}{
		{"POST", "/intelmq/push", "s3cret", "x", nethttp.StatusNotFound},
		{"GET", "/hibp", "s3cret", "", nethttp.StatusMethodNotAllowed},
		{"POST", "/hibp", "", "x", nethttp.StatusUnauthorized},
		{"POST", "/hibp", "Bearer wrong", "x", nethttp.StatusUnauthorized},
		{"POST", "/hibp", "s3cret", "", nethttp.StatusBadRequest},
		{"POST", "/hibp", "s3cret", strings.Repeat("y", 17), nethttp.StatusRequestEntityTooLarge},
		{"POST", "/hibp", "s3cret", "first", nethttp.StatusOK},
		{"POST", "/hibp", "Bearer s3cret", strings.Repeat("z", 16), nethttp.StatusOK},
	} {
		if got := c.do(tc.method, tc.path, tc.auth, []byte(tc.body)); got != tc.want {
			t.Errorf("%s %s (auth %q, %d bytes) answered %d, want %d", tc.method, tc.path, tc.auth, len(tc.body), got, tc.want)
		}
	}
	res := wait()
	if diff := cmp.Diff([]string{"first", strings.Repeat("z", 16)}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Refused a request from .* without the right token\.$`, "WARNING")
	res.AssertLogMatches(t, `^Refused a body of more than 16 bytes`, "WARNING")
}

// TestSocket listens on a unix socket with the given permissions and
// removes it when the bot stops.
func TestSocket(t *testing.T) {
	path := filepath.Join(socketDir(t), "api.sock")
	wait := runAsync(t, params(map[string]any{"use_socket": true, "socket_path": path, "socket_perms": "660",
		"max_reports": int64(1)}), bottest.Case{})
	c := socketClient(t, path)
	if code := c.do("POST", "/intelmq/push", "", []byte("via socket")); code != nethttp.StatusOK {
		t.Errorf("POST answered %d", code)
	}
	res := wait()
	if diff := cmp.Diff([]string{"via socket"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the socket is still there after the bot stopped: %v", err)
	}
}

// TestSocketMode checks the permissions given to the socket.
func TestSocketMode(t *testing.T) {
	path := filepath.Join(socketDir(t), "api.sock")
	b, err := New(&botapi.Context{Clock: clock.NewManual(bottest.Epoch)}, params(map[string]any{"use_socket": true,
		"socket_path": path, "socket_perms": "640"}))
	if err != nil {
		t.Fatal(err)
	}
	col := b.(*Collector)
	if err := col.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := col.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer col.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 || fi.Mode()&os.ModeSocket == 0 {
		t.Errorf("socket mode %v, want a socket with 640", fi.Mode())
	}
}

// TestMaxDuration ends a collection without requests after max_duration.
func TestMaxDuration(t *testing.T) {
	res := runAsync(t, params(map[string]any{"port": freePort(t), "max_duration": 50 * time.Millisecond}),
		bottest.Case{Clock: clock.System{}})()
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `^Collection ended after max_duration 50ms, 0 reports sent\.$`, "INFO")
}

// TestWaitingRequestOnClose: a request that arrives while no collection
// runs waits; when the bot stops it is answered 503, so the client keeps
// its data.
func TestWaitingRequestOnClose(t *testing.T) {
	port := freePort(t)
	b, err := New(&botapi.Context{Clock: clock.NewManual(bottest.Epoch)}, params(map[string]any{"port": port}))
	if err != nil {
		t.Fatal(err)
	}
	col := b.(*Collector)
	if err := col.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	codes := make(chan int, 1)
	go func() { codes <- tcpClient(t, port).do("POST", "/intelmq/push", "", []byte("late")) }()
	// The request is taken by nobody until Close.
	for {
		time.Sleep(5 * time.Millisecond)
		if len(codes) > 0 {
			t.Fatalf("the request was answered %d without a collection", <-codes)
		}
		if col.waiting.Load() == 1 {
			break
		}
	}
	if err := col.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if code := <-codes; code != nethttp.StatusServiceUnavailable {
		t.Errorf("waiting request answered %d, want 503", code)
	}
}

func TestValidate(t *testing.T) {
	for name, extra := range map[string]map[string]any{
		"relative path": {"path": "push"},
		"bad perms":     {"use_socket": true, "socket_perms": "rw"},
		"big perms":     {"use_socket": true, "socket_perms": "7777"},
		"no socket":     {"use_socket": true, "socket_path": ""},
		"bad port":      {"port": int64(70000)},
		"zero size":     {"max_size": int64(0)},
	} {
		b, err := New(&botapi.Context{}, params(extra))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, extra)
		}
	}
}

// TestStartFailsOnBusyPort: a port in use stops the bot with the address.
func TestStartFailsOnBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := int64(ln.Addr().(*net.TCPAddr).Port)
	b, _ := New(&botapi.Context{}, params(map[string]any{"port": port}))
	err = b.(botapi.Starter).Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "listening on 127.0.0.1:"+strconv.FormatInt(port, 10)) {
		t.Errorf("Start on a busy port: %v", err)
	}
	_ = b.(botapi.Closer).Close()
}
