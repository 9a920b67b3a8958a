// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// Connection modes of the test server.
const (
	modeTLS      = "tls"      // implicit TLS (IMAPS)
	modeSTARTTLS = "starttls" // plain, login only after STARTTLS
	modePlain    = "plain"    // no TLS at all
)

const (
	testUser     = "collector"
	testPassword = "s3cret"
)

// imapServer is an in-memory IMAP server (go-imap's imapmemserver) on a
// loopback port, with one user and an INBOX.
type imapServer struct {
	t      *testing.T
	mode   string
	host   string
	port   int
	user   *imapmemserver.User
	caFile string
}

// startIMAP starts an IMAP server in the given mode. TLS uses a
// certificate made for the test, trusted through caFile.
func startIMAP(t *testing.T, mode string) *imapServer {
	t.Helper()
	s := &imapServer{t: t, mode: mode}
	cert, caFile := testCertificate(t)
	s.caFile = caFile
	mem := imapmemserver.New()
	s.user = imapmemserver.NewUser(testUser, testPassword)
	if err := s.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(s.user)
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger: log.New(io.Discard, "", 0),
	}
	switch mode {
	case modeSTARTTLS:
		opts.TLSConfig = tlsConfig // no InsecureAuth: LOGIN needs STARTTLS first
	case modePlain:
		opts.InsecureAuth = true
	}
	srv := imapserver.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.host, s.port = "127.0.0.1", ln.Addr().(*net.TCPAddr).Port
	if mode == modeTLS {
		ln = tls.NewListener(ln, tlsConfig)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// testCertificate makes a self-signed certificate for 127.0.0.1 and
// writes it to a PEM file to trust.
func testCertificate(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "imap.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, caFile
}

// literal is a mail to append.
type literal struct {
	*bytes.Reader
}

// appendMail stores a mail in INBOX, unread unless flags say otherwise,
// and returns its UID. Bare LFs become CRLF, as on the wire.
func (s *imapServer) appendMail(raw string, flags ...imap.Flag) imap.UID {
	s.t.Helper()
	raw = strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\n", "\r\n")
	data, err := s.user.Append("INBOX", literal{bytes.NewReader([]byte(raw))}, &imap.AppendOptions{Flags: flags})
	if err != nil {
		s.t.Fatal(err)
	}
	return data.UID
}

// appendFile stores a mail of testdata.
func (s *imapServer) appendFile(name string, flags ...imap.Flag) imap.UID {
	s.t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		s.t.Fatal(err)
	}
	return s.appendMail(string(raw), flags...)
}

// unseen returns how many mails of INBOX are unread.
func (s *imapServer) unseen() uint32 {
	s.t.Helper()
	st, err := s.user.Status("INBOX", &imap.StatusOptions{NumUnseen: true})
	if err != nil {
		s.t.Fatal(err)
	}
	return *st.NumUnseen
}

// params returns the parameters that reach the server, plus more.
func (s *imapServer) params(more map[string]any) map[string]any {
	p := map[string]any{
		"mail_host": s.host, "mail_port": s.port, "mail_user": testUser, "mail_password": testPassword,
		"mail_ssl": s.mode == modeTLS, "mail_starttls": s.mode == modeSTARTTLS, "ca_file": s.caFile,
	}
	for k, v := range more {
		p[k] = v
	}
	return p
}

// run runs a collector once through the runner (bottest).
func (s *imapServer) run(spec botapi.Spec, newBot botapi.Constructor, more map[string]any, c bottest.Case) *bottest.Result {
	s.t.Helper()
	p, err := conformance.Params(spec, s.params(more))
	if err != nil {
		s.t.Fatal(err)
	}
	c.Kind, c.New, c.Params = botapi.KindCollector, newBot, p
	if c.Feed == nil {
		c.Feed = &botapi.Feed{Name: "IMAP Feed", Accuracy: 100}
	}
	if s.mode == modePlain {
		c.AllowedWarnings++ // the password is sent in clear
	}
	return bottest.Run(s.t, c)
}
