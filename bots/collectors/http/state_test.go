// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// versionedServer serves a document with an ETag and a Last-Modified,
// answers 304 to either validator of the current version, and counts the
// full downloads.
type versionedServer struct {
	mu        sync.Mutex
	version   int
	downloads int
	srv       *httptest.Server
}

func newVersionedServer(t *testing.T) *versionedServer {
	t.Helper()
	v := &versionedServer{version: 1}
	v.srv = httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		v.mu.Lock()
		defer v.mu.Unlock()
		etag := fmt.Sprintf(`"v%d"`, v.version)
		modified := fmt.Sprintf("Tue, 05 Mar 2024 07:%02d:00 GMT", v.version)
		if r.Header.Get("If-None-Match") == etag || (r.Header.Get("If-None-Match") == "" && r.Header.Get("If-Modified-Since") == modified) {
			w.WriteHeader(nethttp.StatusNotModified)
			return
		}
		v.downloads++
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", modified)
		fmt.Fprintf(w, "version %d\n", v.version)
	}))
	t.Cleanup(v.srv.Close)
	return v
}

func (v *versionedServer) bump() {
	v.mu.Lock()
	v.version++
	v.mu.Unlock()
}

func (v *versionedServer) count() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.downloads
}

// runOnce runs the collector once, as "intelmq run --once" does, with the
// given state directory, and returns how many reports it sent.
func runOnce(t *testing.T, p botapi.Params, stateDir string, warnings int) int {
	t.Helper()
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindCollector, New: New, Params: p, StateDir: stateDir,
		AllowedWarnings: warnings, Feed: &botapi.Feed{Name: "Example feed", Accuracy: 100}})
	return len(res.Messages(""))
}

// TestValidatorsSurviveRestart: the ETag and Last-Modified of a download
// are kept in the bot's state directory, so a restarted collector does
// not download or send an unchanged document again, and does send a
// changed one.
func TestValidatorsSurviveRestart(t *testing.T) {
	srv := newVersionedServer(t)
	p, err := conformance.Params(Spec(), map[string]any{"url": srv.srv.URL + "/feed.csv"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var sent []int
	for i := 0; i < 4; i++ {
		if i == 2 {
			srv.bump()
		}
		sent = append(sent, runOnce(t, p, dir, 0))
	}
	if fmt.Sprint(sent) != "[1 0 1 0]" {
		t.Errorf("reports per run %v, want [1 0 1 0]", sent)
	}
	if n := srv.count(); n != 2 {
		t.Errorf("%d full downloads, want 2 (one per version)", n)
	}
	data, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"etag":"\"v2\""`) || !strings.Contains(string(data), "07:02:00 GMT") {
		t.Errorf("state file holds %s; want the validators of version 2", data)
	}

	// Without a state directory the validators live in memory only.
	if n := runOnce(t, p, "", 0); n != 1 {
		t.Errorf("without a state directory: %d reports, want 1", n)
	}
	// conditional = false neither uses nor writes the state.
	off, _ := conformance.Params(Spec(), map[string]any{"url": srv.srv.URL + "/feed.csv", "conditional": false})
	if n := runOnce(t, off, dir, 0); n != 1 {
		t.Errorf("conditional = false: %d reports, want 1", n)
	}
}

// TestCorruptStateFile: a state file that cannot be read is logged as a
// warning and replaced; the download is then unconditional.
func TestCorruptStateFile(t *testing.T) {
	srv := newVersionedServer(t)
	p, _ := conformance.Params(Spec(), map[string]any{"url": srv.srv.URL + "/feed.csv"})
	for _, content := range []string{"{not json", `{"version": 99, "validators": {}}`} {
		dir := t.TempDir()
		path := filepath.Join(dir, stateFileName)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if n := runOnce(t, p, dir, 1); n != 1 {
			t.Errorf("%q: %d reports, want 1", content, n)
		}
		if n := runOnce(t, p, dir, 0); n != 0 {
			t.Errorf("%q: the state file was not replaced: %d reports on the second run", content, n)
		}
	}
}
