// SPDX-License-Identifier: AGPL-3.0-or-later

package opendxl

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// testCA is a certificate authority of the tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
	pool *x509.CertPool
}

var serial atomic.Int64

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func newCA(t *testing.T, name string) *testCA {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial.Add(1)),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pool: x509.NewCertPool()}
	ca.pool.AddCert(cert)
	return ca
}

// issue makes a certificate named cn, with no host names or addresses in
// it, as DXL's are, and returns it with its PEM and its key's PEM.
func (ca *testCA) issue(t *testing.T, cn string, usage x509.ExtKeyUsage) (tls.Certificate, []byte, []byte) {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial.Add(1)),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return pair, certPEM, keyPEM
}

// fabric is the certificates of a DXL fabric: the brokers' CA and
// certificate, the clients' CA, and a client's files as the provisioning
// writes them into a folder beside dxlclient.config.
type fabric struct {
	dir                string
	brokerCA, clientCA *testCA
	brokerCert         tls.Certificate
}

const (
	testClientID = "{c9a1a7d2-0000-4000-8000-0000000000c1}"
	brokerGUID   = "{5d73b77f-8c4b-4ae0-b437-febd12facfd4}"
)

func newFabric(t *testing.T) *fabric {
	t.Helper()
	f := &fabric{dir: t.TempDir(), brokerCA: newCA(t, "DXL broker CA"), clientCA: newCA(t, "DXL client CA")}
	f.brokerCert, _, _ = f.brokerCA.issue(t, brokerGUID, x509.ExtKeyUsageServerAuth)
	_, certPEM, keyPEM := f.clientCA.issue(t, testClientID, x509.ExtKeyUsageClientAuth)
	writeFile(t, filepath.Join(f.dir, "certs", "ca-bundle.crt"), string(f.brokerCA.pem))
	writeFile(t, filepath.Join(f.dir, "certs", "client.crt"), string(certPEM))
	writeFile(t, filepath.Join(f.dir, "certs", "client.key"), string(keyPEM))
	return f
}

// config writes dxlclient.config with the [Brokers] lines and returns its
// path; the certificate names are relative.
func (f *fabric) config(t *testing.T, brokers ...string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "[General]\nClientId=%s\n\n[Certs]\nBrokerCertChain=certs/ca-bundle.crt\nCertFile=certs/client.crt\nPrivateKey=certs/client.key\n\n[Brokers]\n", testClientID)
	for i, line := range brokers {
		fmt.Fprintf(&b, "broker%d=%s\n", i, line)
	}
	return writeFile(t, filepath.Join(f.dir, "dxlclient.config"), b.String())
}

// serverTLS is the brokers' TLS: their certificate, and client
// certificates of the clients' CA required.
func (f *fabric) serverTLS() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{f.brokerCert}, ClientCAs: f.clientCA.pool,
		ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}
}

// connectInfo is a CONNECT the broker received.
type connectInfo struct {
	clientID string
	clean    bool
	version  byte
}

// subscription is a SUBSCRIBE the broker received.
type subscription struct {
	clientID string
	filter   string
	qos      byte
}

// testBroker is a mochi-mqtt broker on 127.0.0.1 with TLS. Its events
// come on buffered channels.
type testBroker struct {
	t           *testing.T
	srv         *mochi.Server
	addr        string
	connects    chan connectInfo
	subscribed  chan subscription
	disconnects chan error
	hook        *recorder
	closeOnce   sync.Once
}

// recorder is the broker's hook that reports the clients' packets, and
// lets them in when allow is set (mochi refuses clients without an
// authentication hook).
type recorder struct {
	mochi.HookBase
	b     *testBroker
	allow bool
	// denySubscribe refuses the subscriptions.
	denySubscribe bool
}

func (h *recorder) ID() string { return "recorder" }

func (h *recorder) Provides(b byte) bool {
	return slices.Contains([]byte{mochi.OnConnect, mochi.OnSubscribed, mochi.OnDisconnect,
		mochi.OnConnectAuthenticate, mochi.OnACLCheck}, b)
}

func (h *recorder) OnConnectAuthenticate(*mochi.Client, packets.Packet) bool { return h.allow }

func (h *recorder) OnACLCheck(_ *mochi.Client, _ string, write bool) bool {
	return write || !h.denySubscribe
}

func (h *recorder) OnConnect(cl *mochi.Client, pk packets.Packet) error {
	if cl.ID == "inline" {
		return nil
	}
	send(h.b.connects, connectInfo{clientID: cl.ID, clean: pk.Connect.Clean, version: pk.ProtocolVersion})
	return nil
}

func (h *recorder) OnSubscribed(cl *mochi.Client, pk packets.Packet, _ []byte) {
	for _, f := range pk.Filters {
		send(h.b.subscribed, subscription{clientID: cl.ID, filter: f.Filter, qos: f.Qos})
	}
}

func (h *recorder) OnDisconnect(cl *mochi.Client, err error, _ bool) {
	if cause := cl.StopCause(); cause != nil {
		err = cause
	}
	send(h.b.disconnects, err)
}

func send[T any](c chan T, v T) {
	select {
	case c <- v:
	default:
	}
}

// startBroker starts a broker at addr ("127.0.0.1:0" for a new port) with
// cfg; allow false refuses every client in its CONNACK.
func startBroker(t *testing.T, addr string, cfg *tls.Config, allow bool) *testBroker {
	t.Helper()
	b := &testBroker{t: t, connects: make(chan connectInfo, 16), subscribed: make(chan subscription, 16), disconnects: make(chan error, 16)}
	b.srv = mochi.New(&mochi.Options{InlineClient: true, Logger: slog.New(slog.DiscardHandler)})
	b.hook = &recorder{b: b, allow: allow}
	if err := b.srv.AddHook(b.hook, nil); err != nil {
		t.Fatal(err)
	}
	l := listeners.NewTCP(listeners.Config{ID: "tls", Address: addr, TLSConfig: cfg})
	if err := b.srv.AddListener(l); err != nil {
		t.Fatal(err)
	}
	if err := b.srv.Serve(); err != nil {
		t.Fatal(err)
	}
	b.addr = l.Address()
	t.Cleanup(b.shutdown)
	return b
}

// close stops the broker at once, closing the connections of its clients.
func (b *testBroker) close() { b.closeOnce.Do(func() { _ = b.srv.Close() }) }

// shutdown stops the broker once its clients are gone (the inline client
// stays): mochi's Close deadlocks when a client is being removed
// meanwhile (Clients.GetByListener takes its read lock twice).
func (b *testBroker) shutdown() {
	for deadline := time.Now().Add(2 * time.Second); b.srv.Clients.Len() > 1 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	b.close()
}

// port is the broker's port.
func (b *testBroker) port() string {
	_, port, _ := net.SplitHostPort(b.addr)
	return port
}

// line is the broker's [Brokers] line.
func (b *testBroker) line() string {
	return fmt.Sprintf("%s;%s;127.0.0.1", brokerGUID, b.port())
}

// waitSubscribed waits for the collector's subscription and checks it.
func (b *testBroker) waitSubscribed() bool {
	select {
	case s := <-b.subscribed:
		if s.filter != testTopic || s.qos != 0 || s.clientID != testClientID {
			b.t.Errorf("subscription %+v, want %s with QoS 0 by %s", s, testTopic, testClientID)
		}
		return true
	case <-time.After(5 * time.Second):
		b.t.Error("the collector did not subscribe")
		return false
	}
}

// publish publishes payload on the topic, as a DXL broker relays an event.
func (b *testBroker) publish(payload []byte) {
	if err := b.srv.Publish(testTopic, payload, false, 0); err != nil {
		b.t.Error(err)
	}
}

// closedPort returns a port on 127.0.0.1 that nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	_ = l.Close()
	return port
}
