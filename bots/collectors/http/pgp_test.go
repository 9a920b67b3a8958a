// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// signer is a PGP key made for a test, dated before the clocks of the
// tests.
type signer struct {
	entity *openpgp.Entity
	config *packet.Config
}

func newSigner(t *testing.T, name string) *signer {
	t.Helper()
	cfg := &packet.Config{Time: func() time.Time { return bottest.Epoch.Add(-time.Hour) }}
	e, err := openpgp.NewEntity(name, "test", name+"@example.com", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &signer{entity: e, config: cfg}
}

// keyFile writes the public key to a file, armored or binary.
func (s *signer) keyFile(t *testing.T, armored bool) string {
	t.Helper()
	var buf bytes.Buffer
	if armored {
		w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.entity.Serialize(w); err != nil {
			t.Fatal(err)
		}
		w.Close()
	} else if err := s.entity.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "key.gpg")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// sign returns the detached signature of data, armored or binary.
func (s *signer) sign(t *testing.T, data string, armored bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if armored {
		err = openpgp.ArmoredDetachSign(&buf, s.entity, strings.NewReader(data), s.config)
	} else {
		err = openpgp.DetachSign(&buf, s.entity, strings.NewReader(data), s.config)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// signedServer serves a document at /list.csv and a signature at
// /list.csv.asc; both can be changed during the test. It counts the
// requests of each path.
type signedServer struct {
	mu       sync.Mutex
	doc, sig []byte
	hits     map[string]int
	srv      *httptest.Server
}

func newSignedServer(t *testing.T, doc string, sig []byte) *signedServer {
	t.Helper()
	s := &signedServer{doc: []byte(doc), sig: sig, hits: map[string]int{}}
	s.srv = httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.hits[r.URL.Path]++
		switch r.URL.Path {
		case "/list.csv":
			w.Header().Set("ETag", fmt.Sprintf("%q", fmt.Sprint(len(s.doc))))
			if r.Header.Get("If-None-Match") == w.Header().Get("ETag") {
				w.WriteHeader(nethttp.StatusNotModified)
				return
			}
			w.Write(s.doc)
		case "/list.csv.asc", "/2024-03-05.asc":
			w.Write(s.sig)
		default:
			nethttp.NotFound(w, r)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *signedServer) set(doc string, sig []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doc, s.sig = []byte(doc), sig
}

func (s *signedServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

const signedDoc = "198.51.100.7,ssh\n203.0.113.9,telnet\n"

// TestPGPSignatureVerified: a document whose detached signature verifies
// against the keyring is sent, for armored and binary keys and signatures.
func TestPGPSignatureVerified(t *testing.T) {
	s := newSigner(t, "Feed signer")
	for _, armored := range []bool{true, false} {
		srv := newSignedServer(t, signedDoc, s.sign(t, signedDoc, armored))
		c, _ := newCollector(t, map[string]any{"url": srv.srv.URL + "/list.csv",
			"verify_pgp_signatures": true, "signature_url": srv.srv.URL + "/list.csv.asc",
			"gpg_keyring": s.keyFile(t, armored)})
		got, err := collect(t, c)
		if err != nil {
			t.Fatalf("armored %v: %v", armored, err)
		}
		if len(got) != 1 || got[0]["raw"] != signedDoc {
			t.Errorf("armored %v: reports %v, want the signed document", armored, got)
		}
		if n := srv.count("/list.csv.asc"); n != 1 {
			t.Errorf("armored %v: the signature was downloaded %d times, want 1", armored, n)
		}
	}
}

// TestPGPBadSignature: a changed document, a signature by a key that is
// not in the keyring, and a document without a signature fail the
// collection with an error that says so, and send nothing. The failed
// document's ETag is not remembered: the next collection downloads it
// again and sends it once it verifies.
func TestPGPBadSignature(t *testing.T) {
	trusted, stranger := newSigner(t, "Feed signer"), newSigner(t, "Someone else")
	tests := []struct {
		name string
		doc  string
		sig  []byte
		want string
	}{
		{"tampered document", signedDoc + "192.0.2.1,x\n", trusted.sign(t, signedDoc, true), "verification failure"},
		{"unknown signer", signedDoc, stranger.sign(t, signedDoc, true), "unknown entity"},
		{"not a signature", signedDoc, []byte("<html>not found</html>"), ErrSignature.Error()},
	}
	for _, tt := range tests {
		srv := newSignedServer(t, tt.doc, tt.sig)
		c, _ := newCollector(t, map[string]any{"url": srv.srv.URL + "/list.csv",
			"verify_pgp_signatures": true, "signature_url": srv.srv.URL + "/list.csv.asc",
			"gpg_keyring": trusted.keyFile(t, true)})
		got, err := collect(t, c)
		if !errors.Is(err, ErrSignature) || !strings.Contains(err.Error(), tt.want) ||
			!strings.Contains(err.Error(), "report rejected") {
			t.Errorf("%s: error %v, want a signature error mentioning %q", tt.name, err, tt.want)
		}
		if len(got) != 0 {
			t.Errorf("%s: %d reports sent despite the bad signature", tt.name, len(got))
		}
		srv.set(signedDoc, trusted.sign(t, signedDoc, false))
		got, err = collect(t, c)
		if err != nil || len(got) != 1 {
			t.Errorf("%s: after the fix: %d reports, %v; want the document", tt.name, len(got), err)
		}
		if n := srv.count("/list.csv"); n != 2 {
			t.Errorf("%s: document downloaded %d times, want 2", tt.name, n)
		}
	}
}

// TestPGPSignatureMissing: a signature URL that answers 404 fails the
// collection.
func TestPGPSignatureMissing(t *testing.T) {
	s := newSigner(t, "Feed signer")
	srv := newSignedServer(t, signedDoc, nil)
	c, _ := newCollector(t, map[string]any{"url": srv.srv.URL + "/list.csv", "retries": 0,
		"verify_pgp_signatures": true, "signature_url": srv.srv.URL + "/missing.asc",
		"gpg_keyring": s.keyFile(t, true)})
	got, err := collect(t, c)
	if !errors.Is(err, ErrStatus) || !strings.Contains(err.Error(), "PGP signature") || len(got) != 0 {
		t.Errorf("error %v, %d reports; want a failed signature download and no report", err, len(got))
	}
}

// TestPGPNotModifiedSkipsSignature: an unchanged document (304) is neither
// sent nor checked again.
func TestPGPNotModifiedSkipsSignature(t *testing.T) {
	s := newSigner(t, "Feed signer")
	srv := newSignedServer(t, signedDoc, s.sign(t, signedDoc, true))
	c, _ := newCollector(t, map[string]any{"url": srv.srv.URL + "/list.csv",
		"verify_pgp_signatures": true, "signature_url": srv.srv.URL + "/list.csv.asc",
		"gpg_keyring": s.keyFile(t, true)})
	for i, want := range []int{1, 0} {
		got, err := collect(t, c)
		if err != nil || len(got) != want {
			t.Fatalf("collection %d: %d reports, %v; want %d", i, len(got), err, want)
		}
	}
	if n := srv.count("/list.csv.asc"); n != 1 {
		t.Errorf("signature downloaded %d times, want once", n)
	}
}

// TestPGPSignatureURLFormatting: signature_url_formatting expands the
// time placeholders of signature_url.
func TestPGPSignatureURLFormatting(t *testing.T) {
	s := newSigner(t, "Feed signer")
	srv := newSignedServer(t, signedDoc, s.sign(t, signedDoc, true))
	c, _ := newCollector(t, map[string]any{"url": srv.srv.URL + "/list.csv",
		"verify_pgp_signatures": true, "signature_url": srv.srv.URL + "/{time[%Y-%m-%d]}.asc",
		"signature_url_formatting": true, "gpg_keyring": s.keyFile(t, true)})
	if got, err := collect(t, c); err != nil || len(got) != 1 {
		t.Fatalf("%d reports, %v", len(got), err)
	}
	if n := srv.count("/2024-03-05.asc"); n != 1 {
		t.Errorf("the formatted signature URL was requested %d times, want 1", n)
	}
}

// TestPGPConfiguration: verify_pgp_signatures needs signature_url and
// gpg_keyring, and a keyring that is no key file stops the bot.
func TestPGPConfiguration(t *testing.T) {
	for _, tt := range []struct {
		params map[string]any
		want   string
	}{
		{map[string]any{"gpg_keyring": "key.asc"}, "signature_url is not set"},
		{map[string]any{"signature_url": "https://example.com/x.asc"}, "gpg_keyring is not set"},
		{map[string]any{"signature_url": "ftp://example.com/x.asc", "gpg_keyring": "k"}, "signature_url"},
		{map[string]any{"signature_url": "https://example.com/{day}.asc", "signature_url_formatting": true, "gpg_keyring": "k"},
			"signature_url: the only placeholder"},
	} {
		params := map[string]any{"url": "https://example.com/list.csv", "verify_pgp_signatures": true}
		for k, v := range tt.params {
			params[k] = v
		}
		p, err := conformance.Params(Spec(), params)
		if err != nil {
			t.Fatal(err)
		}
		bot, err := New(&botapi.Context{}, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := bot.(*Collector).Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: Validate = %v, want %q", tt.params, err, tt.want)
		}
	}
	notAKey := filepath.Join(t.TempDir(), "key.asc")
	if err := os.WriteFile(notAKey, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, _ := conformance.Params(Spec(), map[string]any{"url": "https://example.com/list.csv",
		"verify_pgp_signatures": true, "signature_url": "https://example.com/list.csv.asc", "gpg_keyring": notAKey})
	bot, _ := New(&botapi.Context{}, p)
	if err := bot.(*Collector).Start(t.Context()); !errors.Is(err, botapi.ErrFatal) || !strings.Contains(err.Error(), "gpg_keyring") {
		t.Errorf("Start with a file that holds no key: %v, want a fatal gpg_keyring error", err)
	}
}

// TestPGPWithRunner: in the runner, a verified document is one report and
// the log says which key checked it; a bad signature is an ERROR line and
// no report. The keyring is found relative to the configuration's folder.
func TestPGPWithRunner(t *testing.T) {
	s := newSigner(t, "Feed signer")
	keyPath := s.keyFile(t, true)
	srv := newSignedServer(t, signedDoc, s.sign(t, signedDoc, true))
	p, err := conformance.Params(Spec(), map[string]any{"url": srv.srv.URL + "/list.csv",
		"verify_pgp_signatures": true, "signature_url": srv.srv.URL + "/list.csv.asc",
		"gpg_keyring": filepath.Base(keyPath)})
	if err != nil {
		t.Fatal(err)
	}
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindCollector, New: New, Params: p, BaseDir: filepath.Dir(keyPath),
		Feed: &botapi.Feed{Name: "Greylist", Accuracy: 100}})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Greylist", "feed.accuracy": 100.0,
		"feed.url": srv.srv.URL + "/list.csv", "raw": base64.StdEncoding.EncodeToString([]byte(signedDoc))}, true, "")
	res.AssertLogMatches(t, "PGP signature checked with key "+s.entity.PrimaryKey.KeyIdString()+": signature valid.", "INFO")

	srv.set(signedDoc+"192.0.2.1,x\n", s.sign(t, signedDoc, true))
	res = bottest.Run(t, bottest.Case{Kind: botapi.KindCollector, New: New, Params: p, BaseDir: filepath.Dir(keyPath),
		Feed: &botapi.Feed{Name: "Greylist", Accuracy: 100}, AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, "PGP signature verification failed", "ERROR")
}
