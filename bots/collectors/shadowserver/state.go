// SPDX-License-Identifier: AGPL-3.0-or-later

package shadowserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/statefile"
)

// seen remembers the file names of the reports sent and when, so that a
// report listed again in the next days is not sent twice. With a path it
// is saved after each report.
type seen struct {
	path  string
	log   *slog.Logger
	names map[string]time.Time
}

// loadSeen reads the state file at path (empty: memory only). A missing
// file is a first start; an unreadable one is logged and ignored, so its
// reports may be sent again (never lost).
func loadSeen(path string, log *slog.Logger) *seen {
	s := &seen{path: path, log: log, names: map[string]time.Time{}}
	if path == "" {
		return s
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s
	}
	if err == nil {
		err = json.Unmarshal(raw, &s.names)
	}
	if err != nil {
		log.Warn(fmt.Sprintf("Ignoring the state file %s: %v; reports may be sent again.", path, err))
		s.names = map[string]time.Time{}
	}
	if s.names == nil {
		s.names = map[string]time.Time{}
	}
	return s
}

// has reports whether name was sent less than ttl before now.
func (s *seen) has(name string, now time.Time, ttl time.Duration) bool {
	t, ok := s.names[name]
	return ok && now.Sub(t) < ttl
}

// expire forgets the names sent ttl or longer before now.
func (s *seen) expire(now time.Time, ttl time.Duration) {
	for n, t := range s.names {
		if now.Sub(t) >= ttl {
			delete(s.names, n)
		}
	}
}

// add remembers name as sent at now and saves the state. A failed save is
// logged: the report was sent, so at worst it is sent again after a
// restart.
func (s *seen) add(name string, now time.Time) {
	s.names[name] = now.UTC()
	if s.path == "" {
		return
	}
	if err := s.save(); err != nil {
		s.log.Warn(fmt.Sprintf("Could not save the state file %s: %v; reports may be sent again after a restart.", s.path, err))
	}
}

// save writes the state file atomically.
func (s *seen) save() error {
	return statefile.WriteJSON(s.path, s.names)
}
