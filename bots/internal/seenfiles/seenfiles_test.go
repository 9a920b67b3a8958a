// SPDX-License-Identifier: AGPL-3.0-or-later

package seenfiles

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2020, 5, 25, 12, 0, 0, 0, time.UTC)

func TestSentAndVersions(t *testing.T) {
	s := Load("", nil)
	if s.Sent("a", "") {
		t.Error("an empty set holds a")
	}
	s.Add("a", `"0x1"`, t0)
	s.Add("b", "", t0)
	for _, c := range []struct {
		name, version string
		want          bool
	}{
		{"a", `"0x1"`, true},
		{"a", "", true},         // the listing gives no version
		{"a", `"0x2"`, false},   // replaced
		{"b", "anything", true}, // no version remembered
		{"c", "", false},
	} {
		if got := s.Sent(c.name, c.version); got != c.want {
			t.Errorf("Sent(%q, %q) = %v, want %v", c.name, c.version, got, c.want)
		}
	}
	if e, ok := s.Get("a"); !ok || !e.Sent.Equal(t0) || e.Version != `"0x1"` {
		t.Errorf("Get(a) = %+v, %v", e, ok)
	}
}

func TestExpire(t *testing.T) {
	s := Load("", nil)
	s.Add("old-gone", "", t0)
	s.Add("old-listed", "", t0)
	s.Add("new-gone", "", t0.Add(2*time.Hour))
	listed := func(name string) bool { return name == "old-listed" }
	if n := s.Expire(t0.Add(3*time.Hour), 3*time.Hour, listed); n != 1 {
		t.Errorf("forgot %d, want 1", n)
	}
	if s.Sent("old-gone", "") || !s.Sent("old-listed", "") || !s.Sent("new-gone", "") {
		t.Errorf("after expiry: %v", s.entries)
	}
	if n := s.Expire(t0.Add(5*time.Hour), 3*time.Hour, nil); n != 2 || s.Len() != 0 {
		t.Errorf("forgot %d, %d left; want all", n, s.Len())
	}
}

// TestPersist: the set survives a reload; a corrupt or foreign file is
// ignored with a warning; an unwritable one is logged.
func TestPersist(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "seen.json")
	var logBuf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logBuf, nil))
	s := Load(path, log)
	s.Add("a", "v1", t0)
	s.Add("b", "", t0)
	s = Load(path, log)
	if s.Len() != 2 || !s.Sent("a", "v1") || s.Sent("a", "v2") {
		t.Errorf("reloaded: %v", s.entries)
	}
	s.Expire(t0.Add(time.Hour), time.Minute, func(n string) bool { return n == "b" })
	if s = Load(path, log); s.Len() != 1 || !s.Sent("b", "") {
		t.Errorf("after expiry and reload: %v", s.entries)
	}
	if logBuf.Len() != 0 {
		t.Errorf("unexpected log: %s", logBuf.String())
	}

	for _, content := range []string{"{not json", `{"version": 2, "files": {"a": {}}}`} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		logBuf.Reset()
		if s = Load(path, log); s.Len() != 0 {
			t.Errorf("%s: loaded %v", content, s.entries)
		}
		if !strings.Contains(logBuf.String(), "Ignoring the state file") {
			t.Errorf("%s: no warning: %s", content, logBuf.String())
		}
	}

	logBuf.Reset()
	s = Load(filepath.Join(dir, "missing", "seen.json"), log)
	s.Add("a", "", t0)
	if !s.Sent("a", "") || !strings.Contains(logBuf.String(), "Could not save the state file") {
		t.Errorf("unwritable state: %v, log %s", s.entries, logBuf.String())
	}
}
