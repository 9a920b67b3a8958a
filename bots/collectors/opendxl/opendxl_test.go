// SPDX-License-Identifier: AGPL-3.0-or-later

package opendxl

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

const testTopic = DefaultTopic

var feed = &botapi.Feed{Name: "Sandbox Reports", Provider: "McAfee Advanced Threat Defense", Accuracy: 100}

func params(configFile string, extra map[string]any) botapi.MapParams {
	p := bottest.Params(Spec())
	p[paramConfigFile] = configFile
	p[paramTimeout] = 5 * time.Second
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func run(t *testing.T, configFile string, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = params(configFile, extra)
	c.Feed = feed
	return bottest.Run(t, c)
}

func raws(t *testing.T, msgs []*message.Message) []string {
	t.Helper()
	var out []string
	for _, m := range msgs {
		s, err := m.RawText()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// atdReport is the ATD file report of the golden test of parser.mcafee_atd
// (IntelMQ's atdreport.txt): the report raw that parser expects.
func atdReport(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "feeds", "mcafee_atd_sandbox_reports.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "-- atdreport.txt --\n")
	if !ok {
		t.Fatal("the golden has no atdreport.txt")
	}
	report, _, _ := strings.Cut(rest, "\n-- ")
	return report + "\n"
}

// binEvent is a version 1 DXL event whose payload is a msgpack bin32
// value, as a client packing with use_bin_type may send it.
func binEvent(id string, payload []byte) []byte {
	b := []byte{0x01, 0x02}
	b = append(b, 0xa0|byte(len(id)))
	b = append(b, id...)
	b = append(b, 0xa0, 0xa0, 0x90, 0x90, 0xc6)
	b = binary.BigEndian.AppendUint32(b, uint32(len(payload)))
	b = append(b, payload...)
	return append(b, 0x90)
}

// TestEvents: over TLS with client certificates, the collector connects
// with the file's client id, MQTT 3.1.1 and a clean session, subscribes
// with QoS 0, and sends the payload of each DXL event as a report with
// the NULs removed; a message that is not a DXL message, a request and an
// empty event are logged and skipped.
func TestEvents(t *testing.T) {
	f := newFabric(t)
	b := startBroker(t, "127.0.0.1:0", f.serverTLS(), true)
	report := atdReport(t)
	go func() {
		if !b.waitSubscribed() {
			return
		}
		b.publish([]byte("not a DXL message"))
		b.publish(encodeMessage(&dxlMessage{version: 2, typ: typeRequest, messageID: "{req-1}",
			replyToTopic: "/mcafee/client/{x}", payload: []byte("{}")}))
		b.publish(encodeMessage(event("{empty}", []byte("\x00"))))
		b.publish(fixtureEvent)
		b.publish(binEvent("{atd}", []byte(report+"\x00")))
		b.publish(encodeMessage(event("{late}", []byte("beyond max_reports"))))
	}()
	res := run(t, f.config(t, b.line()), map[string]any{"max_reports": int64(2)}, bottest.Case{AllowedWarnings: 3})
	msgs := res.Messages("")
	if diff := cmp.Diff([]string{`{"Summary":{"Event_Type":"ATD File Report"}}`, report}, raws(t, msgs)); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Sandbox Reports", "feed.provider": "McAfee Advanced Threat Defense",
		"feed.accuracy": 100.0, "raw": harmonization.EncodeBase64([]byte(`{"Summary":{"Event_Type":"ATD File Report"}}`))}, true, "")
	if len(msgs) > 0 {
		if v, _ := msgs[0].Get("time.observation"); fmt.Sprint(v) != "2016-01-01T00:00:00+00:00" {
			t.Errorf("time.observation is %v, want the clock's time", v)
		}
	}
	select {
	case c := <-b.connects:
		if want := (connectInfo{clientID: testClientID, clean: true, version: 4}); c != want {
			t.Errorf("CONNECT %+v, want %+v", c, want)
		}
	default:
		t.Error("the broker saw no CONNECT")
	}
	res.AssertLogMatches(t, `^Connected to the DXL broker \{5d73b77f-8c4b-4ae0-b437-febd12facfd4\} \(127\.0\.0\.1:\d+\), subscribing to /mcafee/event/atd/file/report\.$`, "INFO")
	res.AssertLogMatches(t, `^Skipping a message of 17 bytes on the topic /mcafee/event/atd/file/report: it is not a DXL message \(the message type 111 is unknown\)\.$`, "WARNING")
	res.AssertLogMatches(t, `^Skipping the DXL request \{req-1\} on the topic /mcafee/event/atd/file/report: only events become reports\.$`, "WARNING")
	res.AssertLogMatches(t, `^Skipping the DXL event \{empty\} on the topic /mcafee/event/atd/file/report: its payload is empty\.$`, "WARNING")
	res.AssertLogMatches(t, `^Stream stopped after max_reports, 2 reports sent, 3 messages skipped\.$`, "INFO")
}

// TestFailover: the brokers are tried in the file's order, each by host
// name, then by IP address; the failures are logged.
func TestFailover(t *testing.T) {
	f := newFabric(t)
	b := startBroker(t, "127.0.0.1:0", f.serverTLS(), true)
	dead := closedPort(t)
	go func() {
		if b.waitSubscribed() {
			b.publish(fixtureEvent)
		}
	}()
	// 127.0.0.2 is a loopback address the broker does not listen on.
	cfg := f.config(t, "{dead};"+dead+";127.0.0.1", fmt.Sprintf("{live};%s;127.0.0.2;127.0.0.1", b.port()))
	res := run(t, cfg, map[string]any{"max_reports": int64(1)}, bottest.Case{AllowedWarnings: 2})
	res.AssertOutputLen(t, "", 1)
	res.AssertLogMatches(t, `^Failed to connect to the DXL broker \{dead\} \(127\.0\.0\.1:`+dead+`\): .*refused`, "WARNING")
	res.AssertLogMatches(t, `^Failed to connect to the DXL broker \{live\} \(127\.0\.0\.2:\d+\): .*refused`, "WARNING")
	res.AssertLogMatches(t, `^Connected to the DXL broker \{live\} \(127\.0\.0\.1:\d+\), subscribing to`, "INFO")
}

// gateClock is a clock whose Sleep records the delay and returns when the
// gate opens.
type gateClock struct {
	mu     sync.Mutex
	sleeps []time.Duration
	gate   chan struct{}
}

func (c *gateClock) Now() time.Time { return bottest.Epoch }

func (c *gateClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	select {
	case <-c.gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// logBuffer is a log shared between goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// chanEmitter hands the reports to a channel; fail makes Emit fail.
type chanEmitter struct {
	ch   chan *message.Message
	fail error
}

func (e *chanEmitter) Emit(_ context.Context, m *message.Message) error {
	if e.fail != nil {
		return e.fail
	}
	e.ch <- m
	return nil
}

// start builds and starts the collector outside the harness.
func start(t *testing.T, p botapi.MapParams, clk botapi.Clock, log *logBuffer) *Collector {
	t.Helper()
	b, err := New(&botapi.Context{Clock: clk, Feed: feed, Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))}, p)
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
	return c
}

func receive(t *testing.T, ch chan *message.Message) string {
	t.Helper()
	select {
	case m := <-ch:
		s, err := m.RawText()
		if err != nil {
			t.Fatal(err)
		}
		return s
	case <-time.After(5 * time.Second):
		t.Fatal("no report")
		return ""
	}
}

// TestReconnectAfterBrokerRestart: when the broker goes away, the
// collector waits a second and connects again to the broker that came
// back on the same port, and goes on.
func TestReconnectAfterBrokerRestart(t *testing.T) {
	f := newFabric(t)
	b1 := startBroker(t, "127.0.0.1:0", f.serverTLS(), true)
	clk := &gateClock{gate: make(chan struct{})}
	var log logBuffer
	c := start(t, params(f.config(t, b1.line()), map[string]any{"max_reports": int64(2)}), clk, &log)
	out := &chanEmitter{ch: make(chan *message.Message, 4)}
	errc := make(chan error, 1)
	go func() { errc <- c.Collect(t.Context(), out) }()
	if !b1.waitSubscribed() {
		t.FailNow()
	}
	b1.publish(encodeMessage(event("{one}", []byte("one"))))
	if got := receive(t, out.ch); got != "one" {
		t.Errorf("first report %q", got)
	}
	b1.close()
	b2 := startBroker(t, b1.addr, f.serverTLS(), true)
	close(clk.gate)
	if !b2.waitSubscribed() {
		t.FailNow()
	}
	b2.publish(encodeMessage(event("{two}", []byte("two"))))
	if got := receive(t, out.ch); got != "two" {
		t.Errorf("second report %q", got)
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Collect returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Collect did not return after max_reports")
	}
	clk.mu.Lock()
	defer clk.mu.Unlock()
	if diff := cmp.Diff([]time.Duration{time.Second}, clk.sleeps); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
	// The loss is noticed by the connection, or by the SUBACK still
	// awaited.
	if !regexp.MustCompile(`msg="Got error (the connection to the DXL broker \{5d73b77f-8c4b-4ae0-b437-febd12facfd4\} \(127\.0\.0\.1:\d+\) was lost: [^"]*|subscribing to /mcafee/event/atd/file/report at the DXL broker \{5d73b77f-8c4b-4ae0-b437-febd12facfd4\} \(127\.0\.0\.1:\d+\): connection lost before Subscribe completed), reconnecting in 1s \(consecutive error count 1 <= 3\)\."`).MatchString(log.String()) {
		t.Errorf("the reconnect was not logged:\n%s", log.String())
	}
}

// TestStopDisconnects: a bot stopping in the middle of the stream sends
// DISCONNECT and Collect returns the context's error.
func TestStopDisconnects(t *testing.T) {
	f := newFabric(t)
	b := startBroker(t, "127.0.0.1:0", f.serverTLS(), true)
	var log logBuffer
	c := start(t, params(f.config(t, b.line()), nil), &gateClock{gate: make(chan struct{})}, &log)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- c.Collect(ctx, &chanEmitter{ch: make(chan *message.Message, 1)}) }()
	if !b.waitSubscribed() {
		t.FailNow()
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Collect returned %v when the bot stopped, want context.Canceled", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Collect did not return after the bot stopped")
	}
	select {
	case err := <-b.disconnects:
		if !errors.Is(err, packets.CodeDisconnect) {
			t.Errorf("the client went away with %v, want a DISCONNECT", err)
		}
	case <-time.After(3 * time.Second):
		t.Error("the broker saw no disconnect")
	}
}

// TestUntrusted: a broker whose certificate is not of the BrokerCertChain,
// and a broker that does not trust the client's certificate, are not
// connected to.
func TestUntrusted(t *testing.T) {
	f := newFabric(t)
	other := newCA(t, "another CA")
	otherCert, _, _ := other.issue(t, brokerGUID, x509.ExtKeyUsageServerAuth)
	for name, tc := range map[string]struct {
		cfg  *tls.Config
		want string
	}{
		"broker certificate": {&tls.Config{Certificates: []tls.Certificate{otherCert}, ClientCAs: f.clientCA.pool, ClientAuth: tls.RequireAndVerifyClientCert},
			`the broker's certificate is not signed by the broker CA bundle`},
		"client certificate": {&tls.Config{Certificates: []tls.Certificate{f.brokerCert}, ClientCAs: other.pool, ClientAuth: tls.RequireAndVerifyClientCert},
			`tls: `},
	} {
		t.Run(name, func(t *testing.T) {
			b := startBroker(t, "127.0.0.1:0", tc.cfg, true)
			res := run(t, f.config(t, b.line()), map[string]any{"retries": int64(0)}, bottest.Case{AllowedErrors: 1, AllowedWarnings: 1})
			res.AssertOutputLen(t, "", 0)
			res.AssertLogMatches(t, `^Failed to connect to the DXL broker .*`+regexp.QuoteMeta(tc.want), "WARNING")
			res.AssertNotLogMatches(t, `network Error`, "")
			res.AssertLogMatches(t, `the stream at 127\.0\.0\.1:\d+ failed 1 times in a row: no DXL broker accepted the connection`, "ERROR")
			select {
			case c := <-b.connects:
				t.Errorf("the broker got a CONNECT from %s", c.clientID)
			default:
			}
		})
	}
}

// TestRefused: brokers that refuse the client in their CONNACK end the
// collection without retries.
func TestRefused(t *testing.T) {
	f := newFabric(t)
	b := startBroker(t, "127.0.0.1:0", f.serverTLS(), false)
	res := run(t, f.config(t, b.line()), nil, bottest.Case{AllowedErrors: 1, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `no DXL broker accepted the connection \(.*not Authorized\)`, "ERROR")
	res.AssertNotLogMatches(t, `reconnecting`, "")
	if n := len(b.connects); n != 1 {
		t.Errorf("%d CONNECTs, want 1", n)
	}
}

// TestSubscriptionRefused: a broker that refuses the subscription ends
// the collection without retries.
func TestSubscriptionRefused(t *testing.T) {
	f := newFabric(t)
	b := startBroker(t, "127.0.0.1:0", f.serverTLS(), true)
	b.hook.denySubscribe = true
	res := run(t, f.config(t, b.line()), nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `the DXL broker \{5d73b77f-8c4b-4ae0-b437-febd12facfd4\} \(127\.0\.0\.1:\d+\) refused the subscription to /mcafee/event/atd/file/report`, "ERROR")
	res.AssertNotLogMatches(t, `reconnecting`, "")
}

// TestEmitFailure: a report that cannot be stored ends the collection
// with the error.
func TestEmitFailure(t *testing.T) {
	f := newFabric(t)
	b := startBroker(t, "127.0.0.1:0", f.serverTLS(), true)
	var log logBuffer
	c := start(t, params(f.config(t, b.line()), nil), &gateClock{gate: make(chan struct{})}, &log)
	go func() {
		if b.waitSubscribed() {
			b.publish(fixtureEvent)
		}
	}()
	err := c.Collect(t.Context(), &chanEmitter{fail: errors.New("the queue is gone")})
	if err == nil || !strings.Contains(err.Error(), "the queue is gone") {
		t.Errorf("Collect returned %v, want the Emit error", err)
	}
}

func TestValidate(t *testing.T) {
	for name, extra := range map[string]map[string]any{
		"no config file":   {paramConfigFile: " "},
		"no topic":         {paramTopic: ""},
		"hash not last":    {paramTopic: "/mcafee/#/report"},
		"plus in level":    {paramTopic: "/mcafee/event+"},
		"zero timeout":     {paramTimeout: time.Duration(0)},
		"short keep-alive": {paramKeepAlive: time.Millisecond},
		"negative retries": {"retries": int64(-1)},
		"negative max":     {"max_reports": int64(-1)},
	} {
		b, err := New(&botapi.Context{}, params("dxlclient.config", extra))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, extra)
		}
	}
	// The feed's placeholder: the file is read by Start only.
	b, err := New(&botapi.Context{}, params("{{ dxl_config_file }}", map[string]any{paramTopic: "/mcafee/event/#"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.(botapi.Validator).Validate(); err != nil {
		t.Errorf("Validate refused a configuration file that is not there yet: %v", err)
	}
}

// TestStartErrors: an unusable configuration stops the bot with an error
// naming the file.
func TestStartErrors(t *testing.T) {
	f := newFabric(t)
	good := f.config(t, "{b};8883;127.0.0.1")
	text, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	garbageCA := writeFile(t, filepath.Join(dir, "garbage.crt"), "not a certificate")
	for name, tc := range map[string]struct {
		file string
		want string
	}{
		"missing file":  {filepath.Join(dir, "missing.config"), "missing.config"},
		"missing certs": {writeFile(t, filepath.Join(dir, "c1", "dxlclient.config"), string(text)), filepath.Join(dir, "c1", "certs", "ca-bundle.crt")},
		"garbage CA": {writeFile(t, filepath.Join(dir, "c2", "dxlclient.config"),
			strings.Replace(string(text), "certs/ca-bundle.crt", garbageCA, 1)), "holds no PEM certificate"},
	} {
		b, err := New(&botapi.Context{}, params(tc.file, nil))
		if err != nil {
			t.Fatal(err)
		}
		err = b.(botapi.Starter).Start(t.Context())
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, botapi.ErrFatal) {
			t.Errorf("%s: Start gave %v, want a fatal error containing %q", name, err, tc.want)
		}
	}
	// A relative dxl_config_file is relative to the base directory.
	b, err := New(&botapi.Context{BaseDir: f.dir}, params("dxlclient.config", nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.(botapi.Starter).Start(t.Context()); err != nil {
		t.Errorf("Start with a relative file: %v", err)
	}
	if id := b.(*Collector).clientID; id != testClientID {
		t.Errorf("client id %q, want the file's", id)
	}
}

func TestNewClientID(t *testing.T) {
	re := regexp.MustCompile(`^\{[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\}$`)
	a, b := newClientID(), newClientID()
	if !re.MatchString(a) || a == b {
		t.Errorf("client ids %q and %q", a, b)
	}
}

func TestSpec(t *testing.T) {
	spec := Spec()
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := Register(botapi.NewRegistry()); err != nil {
		t.Fatal(err)
	}
}
