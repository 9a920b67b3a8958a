// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// State is the life state of a bot, as "intelmq status" shows it.
type State string

// The bot states.
const (
	StateStarting State = "starting"
	StateRunning  State = "running"
	StateStopped  State = "stopped"
	StateFailed   State = "failed"
)

// Snapshot is what a bot did since it started: IntelMQ's statistics
// (success and failure counts of processed messages, messages sent per
// path) plus what "intelmq status" shows.
type Snapshot struct {
	BotID string `json:"bot_id"`
	Kind  string `json:"kind"`
	State State  `json:"state"`
	// Error is why the bot stopped, when it failed.
	Error string `json:"error,omitempty"`
	PID   int    `json:"pid"`
	// Started and Updated are when the bot started and when the snapshot
	// was taken.
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
	// Success and Failure count processing attempts, as IntelMQ's
	// stats.success and stats.failure (each failed retry counts).
	Success int64 `json:"success"`
	Failure int64 `json:"failure"`
	// Dumped counts the messages written to the dump file.
	Dumped int64 `json:"dumped"`
	// Paths counts the messages sent per path since the start (IntelMQ's
	// total.<path>).
	Paths map[string]int64 `json:"paths"`
	// Recent counts the messages sent per path since the previous snapshot
	// written to a sink (IntelMQ's temporary.<path>).
	Recent map[string]int64 `json:"recent,omitempty"`
}

// Sent returns the number of messages sent on all paths.
func (s Snapshot) Sent() int64 {
	var n int64
	for _, v := range s.Paths {
		n += v
	}
	return n
}

// Stats are the live counters of one bot. They are safe for concurrent
// use: the bot's goroutine writes, the supervisor and sinks read.
type Stats struct {
	mu      sync.Mutex
	snap    Snapshot
	flushed map[string]int64 // Paths at the last sink write
}

// NewStats returns counters for bot id of kind, started at t, with every
// path of paths at 0 (IntelMQ resets the configured paths at start).
func NewStats(id, kind string, pid int, t time.Time, paths []string) *Stats {
	s := &Stats{snap: Snapshot{BotID: id, Kind: kind, State: StateStarting, PID: pid,
		Started: t, Updated: t, Paths: map[string]int64{}}, flushed: map[string]int64{}}
	for _, p := range paths {
		s.snap.Paths[p] = 0
	}
	return s
}

// add applies counts to the counters.
func (s *Stats) add(success, failure, dumped int64, paths []string, counts []int64) {
	s.mu.Lock()
	s.snap.Success += success
	s.snap.Failure += failure
	s.snap.Dumped += dumped
	for i, n := range counts {
		if n != 0 {
			s.snap.Paths[paths[i]] += n
		}
	}
	s.mu.Unlock()
}

// setState records the bot's state and, for a failure, its error.
func (s *Stats) setState(st State, err error) {
	s.mu.Lock()
	s.snap.State = st
	if err != nil {
		s.snap.Error = err.Error()
	}
	s.mu.Unlock()
}

// Snapshot returns a copy of the counters taken at t.
func (s *Stats) Snapshot(t time.Time) Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.snap
	c.Updated = t
	c.Paths = maps.Clone(s.snap.Paths)
	return c
}

// forSink returns a snapshot whose Recent holds the messages sent since
// the previous forSink call.
func (s *Stats) forSink(t time.Time) Snapshot {
	c := s.Snapshot(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Recent = map[string]int64{}
	for p, n := range c.Paths {
		c.Recent[p] = n - s.flushed[p]
		s.flushed[p] = n
	}
	return c
}

// StatsSink stores bot statistics where other processes read them.
type StatsSink interface {
	// WriteStats stores s. The runner calls it at most every 2 seconds
	// while the bot works and once when it stops. An error is logged at
	// DEBUG only, as IntelMQ does: statistics never stop a bot.
	WriteStats(ctx context.Context, s Snapshot) error
}

// StatsDir is a StatsSink writing one JSON file per bot,
// "<dir>/<bot-id>.json", replaced atomically; "intelmq status" reads them.
type StatsDir string

var _ StatsSink = StatsDir("")

// WriteStats writes s to the bot's file.
func (d StatsDir) WriteStats(_ context.Context, s Snapshot) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(string(d), 0o750); err != nil {
		return err
	}
	path := filepath.Join(string(d), s.BotID+".json")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadStats reads every bot's snapshot from the directory, sorted by bot
// id. A missing directory has none.
func (d StatsDir) ReadStats() ([]Snapshot, error) {
	files, err := filepath.Glob(filepath.Join(string(d), "*.json"))
	if err != nil {
		return nil, err
	}
	var out []Snapshot
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var s Snapshot
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("statistics file %s: %w", f, err)
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BotID < out[j].BotID })
	return out, nil
}

// MultiSink writes to every sink and returns the first error.
type MultiSink []StatsSink

// WriteStats writes s to every sink.
func (m MultiSink) WriteStats(ctx context.Context, s Snapshot) error {
	var first error
	for _, k := range m {
		if err := k.WriteStats(ctx, s); err != nil && first == nil {
			first = err
		}
	}
	return first
}
