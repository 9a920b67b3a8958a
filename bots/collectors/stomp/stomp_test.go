// SPDX-License-Identifier: AGPL-3.0-or-later

package stomp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

const (
	testDest = "/exchange/my.example.org/*.*.*.*"
	testUser = "someuser@my.example.org"
	testPass = "api:key"
)

func params(port int, extra map[string]any) botapi.MapParams {
	p := bottest.Params(Spec())
	p["server"] = "127.0.0.1"
	p["port"] = int64(port)
	p["exchange"] = testDest
	p["username"] = testUser
	p["password"] = testPass
	p["use_tls"] = false
	p["timeout"] = 2 * time.Second
	for k, v := range extra {
		p[k] = v
	}
	return p
}

var feed = &botapi.Feed{Name: "N6 Stomp Stream", Provider: "CERT.PL", Accuracy: 100}

func run(t *testing.T, s *stompServer, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = params(s.port(), extra)
	c.Feed = feed
	res := bottest.Run(t, c)
	s.wait()
	return res
}

// TestMessagesTLS: over TLS with a self-signed certificate trusted through
// ssl_ca_certificate, the collector logs in, subscribes, and sends each
// body as a report: a body with a content-length holding a NUL, header
// escapes in the ack id (acknowledged with the same escapes). A message
// received beyond max_reports is not acknowledged, and DISCONNECT ends
// the collection.
func TestMessagesTLS(t *testing.T) {
	cert := newCert(t, "server", x509.ExtKeyUsageServerAuth)
	s := newServer(t, &tls.Config{Certificates: []tls.Certificate{cert.cert}, MinVersion: tls.VersionTLS12},
		func(sc *serverConn) {
			if !sc.handshake(testUser, `api:key`, testDest, "1.2", "0,0") {
				return
			}
			sc.send(msgFrame("m1", `{"a": 1}`+"\n", false))
			sc.send(msgFrame("m2", "x\x00y \r\n", true))
			sc.send(strings.Replace(msgFrame("m3", `{"c": 3}`, true), "ack:m3", `ack:m3\c\\\n\r`, 1))
			sc.send(msgFrame("m4", `{"d": 4}`, false))
			sc.finish("m1", "m2", `m3\c\\\n\r`)
		})
	res := run(t, s, map[string]any{"use_tls": true, "ssl_ca_certificate": cert.certFile, "max_reports": int64(3)}, bottest.Case{})
	if diff := cmp.Diff([]string{`{"a": 1}`, "x\x00y", `{"c": 3}`}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	feedURL := fmt.Sprintf("stomp://127.0.0.1:%d/%s", s.port(), testDest)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "N6 Stomp Stream", "feed.provider": "CERT.PL", "feed.accuracy": 100.0,
		"feed.url": feedURL, "raw": harmonization.EncodeBase64([]byte(`{"a": 1}`))}, true, "")
	if v, _ := res.Messages("")[0].Get("time.observation"); fmt.Sprint(v) != "2016-01-01T00:00:00+00:00" {
		t.Errorf("time.observation is %v, want the clock's time", v)
	}
	if diff := cmp.Diff([]string{"m1", "m2", `m3\c\\\n\r`}, s.ackIDs()); diff != "" {
		t.Errorf("ACKs (-want +got); m4 must not be acknowledged:\n%s", diff)
	}
	res.AssertLogMatches(t, `^Connected to 127\.0\.0\.1:\d+ with STOMP 1\.2 and subscribed to /exchange/my\.example\.org/\*\.\*\.\*\.\*\.$`, "INFO")
	res.AssertLogMatches(t, `^Stream stopped after max_reports, 3 reports sent\.$`, "INFO")
	res.AssertNotLogMatches(t, `api:key`, "")
}

// TestUntrustedCertificate: without the CA the handshake fails; with
// verify_cert false it succeeds.
func TestUntrustedCertificate(t *testing.T) {
	cert := newCert(t, "server", x509.ExtKeyUsageServerAuth)
	s := newServer(t, &tls.Config{Certificates: []tls.Certificate{cert.cert}}, func(sc *serverConn) {
		if sc.n == 0 {
			_ = sc.read() // the failed handshake
			return
		}
		if sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
			sc.send(msgFrame("m1", "one", false))
			sc.finish("m1")
		}
	})
	res := run(t, s, map[string]any{"use_tls": true, "retries": int64(0)}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `TLS handshake: .*certificate`, "ERROR")
	res = run(t, s, map[string]any{"use_tls": true, "verify_cert": false, "max_reports": int64(1)}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
}

// TestClientCertificate: with auth_by_ssl_client_certificate the client
// shows its certificate and sends no login.
func TestClientCertificate(t *testing.T) {
	server := newCert(t, "server", x509.ExtKeyUsageServerAuth)
	client := newCert(t, "client", x509.ExtKeyUsageClientAuth)
	s := newServer(t, &tls.Config{Certificates: []tls.Certificate{server.cert}, ClientCAs: client.pool,
		ClientAuth: tls.RequireAndVerifyClientCert}, func(sc *serverConn) {
		if sc.handshake("", "", testDest, "1.2", "0,0") {
			sc.send(msgFrame("m1", "one", false))
			sc.finish("m1")
		}
	})
	res := run(t, s, map[string]any{"use_tls": true, "ssl_ca_certificate": server.certFile, "max_reports": int64(1),
		"auth_by_ssl_client_certificate": true, "ssl_client_certificate": client.certFile,
		"ssl_client_certificate_key": client.keyFile}, bottest.Case{})
	if diff := cmp.Diff([]string{"one"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

// TestStomp11: with a STOMP 1.1 server, ACK names message-id and
// subscription, and \r is no escape.
func TestStomp11(t *testing.T) {
	s := newServer(t, nil, func(sc *serverConn) {
		if !sc.handshake(testUser, testPass, testDest, "1.1", "0,0") {
			return
		}
		sc.send(strings.Replace(msgFrame("m1", "one", false), "message-id:m1", `message-id:m\c1`, 1))
		if f := sc.expect(cmdAck); f != nil && (f.headers["message-id"] != `m\c1` || f.headers["subscription"] != "1") {
			t.Errorf("ACK is wrong:\n%q", f.raw)
		}
		sc.finish()
	})
	res := run(t, s, map[string]any{"max_reports": int64(1)}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
}

// TestErrorFrame: an ERROR frame is logged and the collector reconnects
// after a second; the next connection goes on.
func TestErrorFrame(t *testing.T) {
	s := newServer(t, nil,
		func(sc *serverConn) {
			if !sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
				return
			}
			sc.send(msgFrame("m1", "one", false))
			sc.expect(cmdAck)
			sc.send("ERROR\nmessage:queue deleted\ncontent-length:11\n\nQueue gone.\x00")
			_ = sc.read()
		},
		func(sc *serverConn) {
			if sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
				sc.send(msgFrame("m2", "two", false))
				sc.finish("m2")
			}
		})
	clk := clock.NewManual(bottest.Epoch)
	res := run(t, s, map[string]any{"max_reports": int64(2)}, bottest.Case{Clock: clk, AllowedErrors: 1})
	if diff := cmp.Diff([]string{"one", "two"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^The STOMP server 127\.0\.0\.1:\d+ sent an error: queue deleted: Queue gone\.$`, "ERROR")
	res.AssertLogMatches(t, `^Got error the server sent an error: queue deleted: Queue gone, reconnecting in 1s \(consecutive error count 1 <= 3\)\.$`, "INFO")
	if diff := cmp.Diff([]time.Duration{time.Second}, clk.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"m1", "m2"}, s.ackIDs()); diff != "" {
		t.Errorf("ACKs (-want +got):\n%s", diff)
	}
}

// TestDropReconnects: a connection dropped in the middle of a frame loses
// nothing: the cut-off message is not acknowledged, and the server
// delivers it again on the next connection.
func TestDropReconnects(t *testing.T) {
	s := newServer(t, nil,
		func(sc *serverConn) {
			if !sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
				return
			}
			sc.send(msgFrame("m1", "one", true))
			sc.expect(cmdAck)
			full := msgFrame("m2", "two, a longer body", true)
			sc.send(full[:len(full)-8])
		},
		func(sc *serverConn) {
			if sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
				sc.send(msgFrame("m2", "two, a longer body", true))
				sc.finish("m2")
			}
		})
	clk := clock.NewManual(bottest.Epoch)
	res := run(t, s, map[string]any{"max_reports": int64(2)}, bottest.Case{Clock: clk})
	if diff := cmp.Diff([]string{"one", "two, a longer body"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Got error reading: unexpected EOF, reconnecting in 1s \(consecutive error count 1 <= 3\)\.$`, "INFO")
	if diff := cmp.Diff([]string{"m1", "m2"}, s.ackIDs()); diff != "" {
		t.Errorf("ACKs (-want +got):\n%s", diff)
	}
	if n := s.connCount(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

// TestGivesUp: connections failing beyond retries fail the collection,
// with doubling delays between them.
func TestGivesUp(t *testing.T) {
	s := newServer(t, nil, func(sc *serverConn) {})
	clk := clock.NewManual(bottest.Epoch)
	res := run(t, s, map[string]any{"retries": int64(2)}, bottest.Case{Clock: clk, AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `the stream at 127\.0\.0\.1:\d+ failed 3 times in a row: waiting for CONNECTED: `, "ERROR")
	if n := s.connCount(); n != 3 {
		t.Errorf("%d connections, want 3", n)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second}, clk.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

// TestRefused: an ERROR in reply to CONNECT (bad credentials) fails the
// collection without reconnecting.
func TestRefused(t *testing.T) {
	s := newServer(t, nil, func(sc *serverConn) {
		if c := sc.expect(cmdConnect); c != nil && (c.headers["login"] != testUser || c.headers["passcode"] != testPass) {
			t.Errorf("CONNECT has the wrong credentials:\n%q", c.raw)
		}
		sc.send("ERROR\nmessage:Access refused\n\nbad credentials\x00")
		_ = sc.read()
	})
	res := run(t, s, nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `the server refused the connection: Access refused: bad credentials`, "ERROR")
	if n := s.connCount(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

// TestVHost: the host header of CONNECT is the server's name, or vhost
// when given (RabbitMQ refuses an unknown virtual host such as an IP
// address, as its STOMP plugin takes the header for one).
func TestVHost(t *testing.T) {
	for _, c := range []struct{ vhost, want string }{{"", "127.0.0.1"}, {"/", "/"}} {
		s := newServer(t, nil, func(sc *serverConn) {
			if f := sc.expect(cmdConnect); f != nil && f.headers["host"] != c.want {
				t.Errorf("vhost %q: CONNECT has host %q, want %q", c.vhost, f.headers["host"], c.want)
			}
			sc.send("ERROR\nmessage:enough\n\n\x00")
			_ = sc.read()
		})
		run(t, s, map[string]any{"vhost": c.vhost}, bottest.Case{AllowedErrors: 1})
	}
}

// TestStomp10 refuses a server without version (STOMP 1.0).
func TestStomp10(t *testing.T) {
	s := newServer(t, nil, func(sc *serverConn) {
		sc.expect(cmdConnect)
		sc.send("CONNECTED\nsession:1\n\n\x00")
		_ = sc.read()
	})
	res := run(t, s, nil, bottest.Case{AllowedErrors: 1})
	res.AssertLogMatches(t, `only STOMP 1\.0`, "ERROR")
	if n := s.connCount(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

// TestHeartbeats: the collector sends an end-of-line at the negotiated
// interval (the larger of its offer and the server's wish); a server
// silent beyond 1.5 times its interval counts as gone and the collector
// reconnects; a server that sends heart-beats keeps the connection.
func TestHeartbeats(t *testing.T) {
	s := newServer(t, nil,
		func(sc *serverConn) {
			// The server wants a heart-beat every 60ms and promises one
			// every 40ms, which it does not keep.
			if !sc.handshake(testUser, testPass, testDest, "1.2", "40,60") {
				return
			}
			start := time.Now()
			if f := sc.read(); f != nil {
				t.Errorf("the client sent %s instead of closing the silent connection", f.command)
			}
			waited := time.Since(start)
			// max(30ms, 40ms) * 1.5 = 60ms of silence are allowed.
			if waited < 60*time.Millisecond || waited > 2*time.Second {
				t.Errorf("the client closed the silent connection after %s, want 60ms", waited)
			}
		},
		func(sc *serverConn) {
			if !sc.handshake(testUser, testPass, testDest, "1.2", "20,60") {
				return
			}
			// Heart-beats every 20ms for 400ms keep the connection, and
			// the reader counts the client's.
			done := make(chan struct{})
			go func() {
				defer close(done)
				for range 20 {
					time.Sleep(20 * time.Millisecond)
					sc.send("\n")
				}
				sc.send(msgFrame("m1", "one", false))
			}()
			sc.finish("m1")
			<-done
			if len(sc.beat) < 4 {
				t.Errorf("the client sent %d heart-beats in 400ms, want one every 60ms", len(sc.beat))
			}
			for i := 1; i < len(sc.beat); i++ {
				if gap := sc.beat[i].Sub(sc.beat[i-1]); gap < 30*time.Millisecond || gap > 300*time.Millisecond {
					t.Errorf("heart-beats %s apart, want 60ms", gap)
				}
			}
		})
	clk := clock.NewManual(bottest.Epoch)
	res := run(t, s, map[string]any{"heartbeat": int64(30), "max_reports": int64(1)}, bottest.Case{Clock: clk})
	if diff := cmp.Diff([]string{"one"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Got error the server sent nothing for 60ms, beyond its heart-beat interval, reconnecting in 1s`, "INFO")
}

// TestMaxDuration ends a quiet stream after max_duration and disconnects.
func TestMaxDuration(t *testing.T) {
	s := newServer(t, nil, func(sc *serverConn) {
		if sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
			sc.send(msgFrame("m1", "one", false))
			sc.finish("m1")
		}
	})
	res := run(t, s, map[string]any{"max_duration": 150 * time.Millisecond}, bottest.Case{Clock: clock.System{}})
	if diff := cmp.Diff([]string{"one"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Stream stopped after max_duration 150ms, 1 reports sent\.$`, "INFO")
}

// TestBadMessages: messages that cannot be reports are logged,
// acknowledged and dropped; a frame of another subscription is ignored;
// the stream goes on.
func TestBadMessages(t *testing.T) {
	s := newServer(t, nil, func(sc *serverConn) {
		if !sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
			return
		}
		sc.send(msgFrame("empty", " \n", false))
		sc.send(msgFrame("big", strings.Repeat("x", 100), true))
		sc.send(msgFrame("bigger", strings.Repeat("y", 200), false))
		sc.send(msgFrame("escape", "z", false, `x-note:a\tb`))
		sc.send(strings.Replace(msgFrame("other", "o", false), "subscription:1", "subscription:7", 1))
		sc.send("BOGUS\n\n\x00")
		sc.send(msgFrame("good", "fine", false))
		sc.finish("empty", "big", "bigger", "escape", "good")
	})
	res := run(t, s, map[string]any{"max_reports": int64(1), "max_message_size": int64(50)}, bottest.Case{AllowedErrors: 4, AllowedWarnings: 2})
	if diff := cmp.Diff([]string{"fine"}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Dropping the MESSAGE frame with message-id "empty": its body is empty\.$`, "ERROR")
	res.AssertLogMatches(t, `^Dropping the MESSAGE frame with message-id "big": its body of 100 bytes exceeds max_message_size 50\.$`, "ERROR")
	res.AssertLogMatches(t, `^Dropping the MESSAGE frame with message-id "bigger": its body of 200 bytes exceeds max_message_size 50\.$`, "ERROR")
	res.AssertLogMatches(t, `^Dropping the MESSAGE frame with message-id "escape": its headers are malformed \(header .* holds the undefined escape \\t\)\.$`, "ERROR")
	res.AssertLogMatches(t, `^Ignoring the MESSAGE frame with message-id "other" of the subscription "7"`, "WARNING")
	res.AssertLogMatches(t, `^Ignoring a BOGUS frame`, "WARNING")
}

// TestStopDisconnects: a bot stopping in the middle of a stream sends
// DISCONNECT.
func TestStopDisconnects(t *testing.T) {
	got := make(chan string, 1)
	subscribed := make(chan struct{})
	s := newServer(t, nil, func(sc *serverConn) {
		if !sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
			got <- ""
			return
		}
		close(subscribed)
		f := sc.read()
		if f == nil {
			got <- ""
			return
		}
		got <- f.command
		sc.send("RECEIPT\nreceipt-id:" + f.headers["receipt"] + "\n\n\x00")
	})
	b, err := New(&botapi.Context{Clock: clock.System{}}, params(s.port(), nil))
	if err != nil {
		t.Fatal(err)
	}
	c := b.(*Collector)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- c.Collect(ctx, nil) }()
	select {
	case <-subscribed:
	case <-time.After(3 * time.Second):
		t.Fatal("the collector did not subscribe")
	}
	cancel()
	select {
	case err := <-errc:
		if err == nil {
			t.Error("Collect returned nil when the bot stopped, want the context's error")
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Collect did not return after the bot stopped")
	}
	if cmd := <-got; cmd != cmdDisconnect {
		t.Errorf("the client sent %q when stopping, want DISCONNECT", cmd)
	}
	s.wait()
}

// failingEmitter refuses every report.
type failingEmitter struct{ n int }

func (e *failingEmitter) Emit(context.Context, *message.Message) error {
	e.n++
	return errors.New("the queue is gone")
}

// TestEmitFailureNoAck: a message whose report could not be stored is not
// acknowledged, and the collection fails with the error.
func TestEmitFailureNoAck(t *testing.T) {
	s := newServer(t, nil, func(sc *serverConn) {
		if sc.handshake(testUser, testPass, testDest, "1.2", "0,0") {
			sc.send(msgFrame("m1", "one", false))
			if f := sc.read(); f != nil {
				t.Errorf("the client sent %s after a failed Emit, want it to close the connection", f.command)
			}
		}
	})
	b, err := New(&botapi.Context{Clock: clock.NewManual(bottest.Epoch)}, params(s.port(), nil))
	if err != nil {
		t.Fatal(err)
	}
	c := b.(*Collector)
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	out := &failingEmitter{}
	if err := c.Collect(t.Context(), out); err == nil || !strings.Contains(err.Error(), "the queue is gone") {
		t.Errorf("Collect returned %v, want the Emit error", err)
	}
	s.wait()
	if out.n != 1 {
		t.Errorf("%d reports emitted, want 1", out.n)
	}
	if acks := s.ackIDs(); len(acks) != 0 {
		t.Errorf("ACKs %v after a failed Emit, want none", acks)
	}
}

func TestValidate(t *testing.T) {
	for name, extra := range map[string]map[string]any{
		"no server":         {"server": ""},
		"server with path":  {"server": "example.com/x"},
		"port zero":         {"port": int64(0)},
		"big port":          {"port": int64(70000)},
		"no exchange":       {"exchange": ""},
		"newline in pass":   {"password": "a\nb"},
		"newline in dest":   {"exchange": "/queue/a\n"},
		"cert auth no cert": {"auth_by_ssl_client_certificate": true, "use_tls": true},
		"cert auth no tls":  {"auth_by_ssl_client_certificate": true, "ssl_client_certificate": "c", "ssl_client_certificate_key": "k"},
		"negative beat":     {"heartbeat": int64(-1)},
		"zero timeout":      {"timeout": time.Duration(0)},
		"negative retries":  {"retries": int64(-1)},
		"negative max":      {"max_reports": int64(-1)},
		"zero message size": {"max_message_size": int64(0)},
	} {
		b, err := New(&botapi.Context{}, params(61614, extra))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, extra)
		}
	}
	b, err := New(&botapi.Context{}, params(61614, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.(botapi.Validator).Validate(); err != nil {
		t.Errorf("Validate refused the test parameters: %v", err)
	}
}

// TestStartBadFiles: unusable certificate files stop the bot.
func TestStartBadFiles(t *testing.T) {
	for name, extra := range map[string]map[string]any{
		"missing ca":     {"use_tls": true, "ssl_ca_certificate": "/nonexistent/ca.pem"},
		"missing client": {"use_tls": true, "auth_by_ssl_client_certificate": true, "ssl_client_certificate": "/nonexistent/c.pem", "ssl_client_certificate_key": "/nonexistent/c.key"},
	} {
		b, err := New(&botapi.Context{}, params(61614, extra))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Starter).Start(t.Context()); err == nil || !strings.Contains(err.Error(), "nonexistent") {
			t.Errorf("%s: Start gave %v, want an error naming the file", name, err)
		}
	}
}

func TestSpec(t *testing.T) {
	spec := Spec()
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
}
