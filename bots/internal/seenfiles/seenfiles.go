// SPDX-License-Identifier: AGPL-3.0-or-later

package seenfiles

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/statefile"
)

// formatVersion is the version of the state file's format.
const formatVersion = 1

// Entry is what is remembered of one file sent.
type Entry struct {
	// Sent is when the file was last sent (UTC).
	Sent time.Time `json:"sent"`
	// Version is the file's ETag or Last-Modified when it was sent; empty
	// when the listing gave none.
	Version string `json:"version,omitempty"`
}

// file is the JSON form of the state file.
type file struct {
	Version int              `json:"version"`
	Files   map[string]Entry `json:"files"`
}

// Set is the files sent by one collector. It is not safe for concurrent
// use; a collector calls it from its Collect only.
type Set struct {
	path    string
	log     *slog.Logger
	entries map[string]Entry
}

// Load reads the state file at path; an empty path keeps the set in
// memory only. A missing file gives an empty set; an unreadable or corrupt
// one is logged as a warning and ignored. log may be nil.
func Load(path string, log *slog.Logger) *Set {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Set{path: path, log: log, entries: map[string]Entry{}}
	if path == "" {
		return s
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s
	}
	var st file
	if err == nil {
		err = json.Unmarshal(raw, &st)
	}
	if err == nil && st.Version != formatVersion {
		err = fmt.Errorf("unknown format version %d", st.Version)
	}
	if err != nil {
		log.Warn(fmt.Sprintf("Ignoring the state file %s: %v; files may be sent again.", path, err))
		return s
	}
	for name, e := range st.Files {
		s.entries[name] = e
	}
	return s
}

// Len returns the number of files remembered.
func (s *Set) Len() int { return len(s.entries) }

// Get returns the entry of name.
func (s *Set) Get(name string) (Entry, bool) {
	e, ok := s.entries[name]
	return e, ok
}

// Sent reports whether name was sent in the given version: it is
// remembered, and its version is unknown on either side or the same.
func (s *Set) Sent(name, version string) bool {
	e, ok := s.entries[name]
	return ok && (version == "" || e.Version == "" || e.Version == version)
}

// Add remembers name as sent at now in version and saves the state.
func (s *Set) Add(name, version string, now time.Time) {
	s.entries[name] = Entry{Sent: now.UTC(), Version: version}
	s.save()
}

// Expire forgets the files sent ttl or longer before now that listed does
// not hold (listed says whether a name is still offered), saves the state
// when it changed, and returns how many were forgotten.
func (s *Set) Expire(now time.Time, ttl time.Duration, listed func(name string) bool) int {
	n := 0
	for name, e := range s.entries {
		if now.Sub(e.Sent) >= ttl && (listed == nil || !listed(name)) {
			delete(s.entries, name)
			n++
		}
	}
	if n > 0 {
		s.save()
	}
	return n
}

// save writes the state file; a failure is logged.
func (s *Set) save() {
	if s.path == "" {
		return
	}
	if err := statefile.WriteJSON(s.path, file{Version: formatVersion, Files: s.entries}); err != nil {
		s.log.Warn(fmt.Sprintf("Could not save the state file %s: %v; files may be sent again after a restart.", s.path, err))
	}
}
