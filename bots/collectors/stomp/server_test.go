// SPDX-License-Identifier: AGPL-3.0-or-later

package stomp

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// stompServer is an in-test STOMP server on 127.0.0.1: each connection
// runs the next script (the last one repeats). The scripts speak the
// frames as raw text, independently of the package's frame code.
type stompServer struct {
	t       *testing.T
	ln      net.Listener
	scripts []func(sc *serverConn)
	served  chan struct{} // closed when the accept loop ends
	mu      sync.Mutex
	ended   []chan struct{} // closed when each connection's script ends
	conns   int
	acks    []string // the id (1.2) or message-id (1.1) of every ACK, in order
}

// serverConn is one accepted connection.
type serverConn struct {
	s    *stompServer
	nc   net.Conn
	r    *bufio.Reader
	n    int // the connection's number, from 0
	beat []time.Time
}

func newServer(t *testing.T, tlsConfig *tls.Config, scripts ...func(sc *serverConn)) *stompServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	s := &stompServer{t: t, ln: ln, scripts: scripts, served: make(chan struct{})}
	go s.serve()
	t.Cleanup(func() {
		ln.Close()
		<-s.served
		s.wait()
	})
	return s
}

func (s *stompServer) serve() {
	defer close(s.served)
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		ended := make(chan struct{})
		s.mu.Lock()
		n := s.conns
		s.conns++
		s.ended = append(s.ended, ended)
		s.mu.Unlock()
		script := s.scripts[min(n, len(s.scripts)-1)]
		go func() {
			defer close(ended)
			defer nc.Close()
			_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
			script(&serverConn{s: s, nc: nc, r: bufio.NewReader(nc), n: n})
		}()
	}
}

// wait waits for the scripts of the connections accepted so far to end.
func (s *stompServer) wait() {
	s.mu.Lock()
	ended := append([]chan struct{}(nil), s.ended...)
	s.mu.Unlock()
	timeout := time.After(10 * time.Second)
	for _, e := range ended {
		select {
		case <-e:
		case <-timeout:
			s.t.Error("the STOMP test server did not finish")
			return
		}
	}
}

func (s *stompServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *stompServer) connCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func (s *stompServer) ackIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.acks...)
}

// clientFrame is a frame the client sent, with its headers as they are on
// the wire (not unescaped).
type clientFrame struct {
	command string
	headers map[string]string
	raw     string
}

// read reads the next frame of the client, noting the heart-beats before
// it; it returns nil at the end of the connection.
func (sc *serverConn) read() *clientFrame {
	var raw strings.Builder
	var command string
	for {
		line, err := sc.r.ReadString('\n')
		if err != nil {
			if err != io.EOF || line != "" {
				sc.s.t.Logf("server: reading a command: %v", err)
			}
			return nil
		}
		if line == "\n" || line == "\r\n" {
			sc.beat = append(sc.beat, time.Now())
			continue
		}
		command = strings.TrimRight(line, "\r\n")
		raw.WriteString(line)
		break
	}
	f := &clientFrame{command: command, headers: map[string]string{}}
	for {
		line, err := sc.r.ReadString('\n')
		if err != nil {
			sc.s.t.Errorf("server: a %s frame ends inside its headers: %v", command, err)
			return nil
		}
		raw.WriteString(line)
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			sc.s.t.Errorf("server: a header line without colon in %s: %q", command, line)
		}
		if _, dup := f.headers[name]; !dup {
			f.headers[name] = value
		}
	}
	body, err := sc.r.ReadString(0)
	if err != nil {
		sc.s.t.Errorf("server: a %s frame ends without NUL: %v", command, err)
		return nil
	}
	raw.WriteString(body)
	if body != "\x00" {
		sc.s.t.Errorf("server: the %s frame has a body: %q", command, body)
	}
	f.raw = raw.String()
	if command == cmdAck {
		id := f.headers["id"]
		if id == "" {
			id = f.headers["message-id"]
		}
		sc.s.mu.Lock()
		sc.s.acks = append(sc.s.acks, id)
		sc.s.mu.Unlock()
	}
	return f
}

// expect reads the next frame and checks its command.
func (sc *serverConn) expect(command string) *clientFrame {
	f := sc.read()
	if f == nil {
		sc.s.t.Errorf("server: connection %d: the client sent no %s", sc.n, command)
		return nil
	}
	if f.command != command {
		sc.s.t.Errorf("server: connection %d: the client sent %s, want %s:\n%q", sc.n, f.command, command, f.raw)
		return nil
	}
	return f
}

func (sc *serverConn) send(raw string) {
	if _, err := io.WriteString(sc.nc, raw); err != nil {
		sc.s.t.Logf("server: writing: %v", err)
	}
}

// handshake reads CONNECT and SUBSCRIBE, checking the credentials and the
// destination, and answers CONNECTED with version and heart-beat.
func (sc *serverConn) handshake(login, passcode, destination, version, heartbeat string) bool {
	t := sc.s.t
	c := sc.expect(cmdConnect)
	if c == nil {
		return false
	}
	if !strings.Contains(c.headers["accept-version"], "1.2") || c.headers["host"] == "" || c.headers["heart-beat"] == "" {
		t.Errorf("server: CONNECT lacks accept-version 1.2, host or heart-beat:\n%q", c.raw)
	}
	if c.headers["login"] != login || c.headers["passcode"] != passcode {
		t.Errorf("server: CONNECT has login %q passcode %q, want %q %q", c.headers["login"], c.headers["passcode"], login, passcode)
		sc.send("ERROR\nmessage:Access refused\n\nbad credentials\x00")
		return false
	}
	sc.send(fmt.Sprintf("CONNECTED\nversion:%s\nheart-beat:%s\nserver:test\n\n\x00", version, heartbeat))
	s := sc.expect(cmdSubscribe)
	if s == nil {
		return false
	}
	if s.headers["destination"] != destination || s.headers["ack"] != "client-individual" || s.headers["id"] != subscriptionID {
		t.Errorf("server: SUBSCRIBE is wrong:\n%q", s.raw)
		return false
	}
	return true
}

// msgFrame returns a MESSAGE frame of subscription 1 with message-id and
// ack id, extra raw header lines, and body, with a content-length when
// withLength.
func msgFrame(id, body string, withLength bool, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "MESSAGE\nsubscription:1\nmessage-id:%s\nack:%s\ndestination:/queue/test\n", id, id)
	for _, h := range extra {
		b.WriteString(h + "\n")
	}
	if withLength {
		fmt.Fprintf(&b, "content-length:%d\n", len(body))
	}
	b.WriteString("\n" + body + "\x00")
	return b.String()
}

// finish expects the ACKs of ids, then DISCONNECT, which it answers with
// its RECEIPT.
func (sc *serverConn) finish(ids ...string) {
	for _, id := range ids {
		if f := sc.expect(cmdAck); f != nil && f.headers["id"] != id {
			sc.s.t.Errorf("server: ACK of %q, want %q:\n%q", f.headers["id"], id, f.raw)
		}
	}
	d := sc.expect(cmdDisconnect)
	if d == nil {
		return
	}
	sc.send("RECEIPT\nreceipt-id:" + d.headers["receipt"] + "\n\n\x00")
	if f := sc.read(); f != nil {
		sc.s.t.Errorf("server: the client sent %s after DISCONNECT", f.command)
	}
}

// testCert is a self-signed certificate and its key, as a tls.Certificate
// and as PEM files.
type testCert struct {
	cert              tls.Certificate
	pool              *x509.CertPool
	certFile, keyFile string
}

func newCert(t *testing.T, name string, usage x509.ExtKeyUsage) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{usage},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	dir := t.TempDir()
	c := &testCert{certFile: filepath.Join(dir, name+".pem"), keyFile: filepath.Join(dir, name+".key"), pool: x509.NewCertPool()}
	if err := os.WriteFile(c.certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if c.cert, err = tls.X509KeyPair(certPEM, keyPEM); err != nil {
		t.Fatal(err)
	}
	c.pool.AppendCertsFromPEM(certPEM)
	return c
}
