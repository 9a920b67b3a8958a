// SPDX-License-Identifier: AGPL-3.0-or-later

package dump

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// Suffix is the file name suffix of this project's dump files; IntelMQ's
// files end in IntelMQSuffix.
const (
	Suffix        = ".dump.jsonl"
	IntelMQSuffix = ".dump"
)

// Dir is a directory holding dump files (IntelMQ's logging_path).
type Dir string

// Path returns the path of bot's dump file.
func (d Dir) Path(botID string) string { return filepath.Join(string(d), botID+Suffix) }

// IntelMQPath returns the path of bot's IntelMQ dump file.
func (d Dir) IntelMQPath(botID string) string {
	return filepath.Join(string(d), botID+IntelMQSuffix)
}

// Append adds e to the dump file of e.BotID and syncs it to disk, under an
// exclusive lock of the file.
func (d Dir) Append(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("dump: encoding the entry: %w", err)
	}
	line = append(line, '\n')
	if err := os.MkdirAll(string(d), 0o750); err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	f, err := openLocked(d.Path(e.BotID), os.O_RDWR|os.O_APPEND|os.O_CREATE)
	if err != nil {
		return err
	}
	defer f.Close()
	if torn, err := endsTorn(f); err != nil {
		return fmt.Errorf("dump: reading %s: %w", f.Name(), err)
	} else if torn {
		// A crash cut the previous write short: end that line, so that only
		// it is lost and this entry is whole.
		line = append([]byte{'\n'}, line...)
	}
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("dump: writing %s: %w", f.Name(), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("dump: syncing %s: %w", f.Name(), err)
	}
	return nil
}

// endsTorn reports whether f is not empty and does not end with a newline.
func endsTorn(f *os.File) (bool, error) {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return false, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil {
		return false, err
	}
	return last[0] != '\n', nil
}

// openLocked opens path and takes an exclusive flock on it. If the file was
// replaced (by Delete's rewrite) while waiting for the lock, it opens the
// new file, so no entry is written to an unlinked file.
func openLocked(path string, flag int) (*os.File, error) {
	for {
		f, err := os.OpenFile(path, flag, 0o640)
		if err != nil {
			return nil, fmt.Errorf("dump: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			return nil, fmt.Errorf("dump: locking %s: %w", path, err)
		}
		if same(f, path) {
			return f, nil
		}
		f.Close()
	}
}

func same(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// Read returns bot's dumped entries, from this project's file and from an
// IntelMQ file if present, sorted by timestamp. A line that is not a JSON
// entry (a write torn by a crash) is skipped and counted in corrupt.
func (d Dir) Read(botID string) (entries []Entry, corrupt int, err error) {
	entries, corrupt, err = readLines(d.Path(botID))
	if err != nil {
		return nil, 0, err
	}
	legacy, err := readIntelMQ(d.IntelMQPath(botID))
	if err != nil {
		return nil, 0, err
	}
	entries = append(entries, legacy...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Timestamp < entries[j].Timestamp })
	return entries, corrupt, nil
}

func readLines(path string) ([]Entry, int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("dump: %w", err)
	}
	return ParseLines(data)
}

// ParseLines parses the content of a JSON-lines dump file; lines that are
// not entries are counted in corrupt.
func ParseLines(data []byte) (entries []Entry, corrupt int, err error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<30)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e Entry
		if json.Unmarshal(line, &e) != nil || e.BotID == "" {
			corrupt++
			continue
		}
		entries = append(entries, e)
	}
	return entries, corrupt, sc.Err()
}

// intelmqEntry is an entry of IntelMQ's dump format, where the timestamp is
// the key and the traceback may be one string (older versions) or a list.
type intelmqEntry struct {
	BotID       string          `json:"bot_id"`
	SourceQueue string          `json:"source_queue"`
	Traceback   json.RawMessage `json:"traceback"`
	Message     string          `json:"message"`
	MessageType string          `json:"message_type,omitempty"`
}

func readIntelMQ(path string) ([]Entry, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	return ParseIntelMQ(data)
}

// ParseIntelMQ parses IntelMQ's dump format: one JSON object mapping
// timestamps to entries. An empty file has no entries.
func ParseIntelMQ(data []byte) ([]Entry, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var m map[string]intelmqEntry
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("dump: not an IntelMQ dump file: %w", err)
	}
	out := make([]Entry, 0, len(m))
	for ts, v := range m {
		e := Entry{Timestamp: ts, BotID: v.BotID, SourceQueue: v.SourceQueue,
			Message: v.Message, MessageType: v.MessageType}
		var lines []string
		var one string
		switch {
		case json.Unmarshal(v.Traceback, &lines) == nil:
			e.Traceback = lines
		case json.Unmarshal(v.Traceback, &one) == nil:
			e.Traceback = strings.Split(strings.TrimRight(one, "\n"), "\n")
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Timestamp < out[j].Timestamp })
	return out, nil
}

// FormatIntelMQ writes entries in IntelMQ's dump format (indent 4, sorted
// keys), for files IntelMQ's intelmqdump reads.
func FormatIntelMQ(entries []Entry) ([]byte, error) {
	m := make(map[string]intelmqEntry, len(entries))
	for _, e := range entries {
		tb, err := json.Marshal(e.Traceback)
		if err != nil {
			return nil, err
		}
		m[e.Timestamp] = intelmqEntry{BotID: e.BotID, SourceQueue: e.SourceQueue,
			Traceback: tb, Message: e.Message, MessageType: e.MessageType}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Delete removes the entries of bot at the given positions of Read's
// list (all entries when none is given) from the dump files, and returns
// how many it removed. Files left empty are removed.
func (d Dir) Delete(botID string, positions ...int) (int, error) {
	entries, _, err := d.Read(botID)
	if err != nil {
		return 0, err
	}
	pick := map[string]int{} // entry key → how many copies to remove
	if len(positions) == 0 {
		for _, e := range entries {
			pick[key(e)]++
		}
	}
	for _, p := range positions {
		if p < 0 || p >= len(entries) {
			return 0, fmt.Errorf("dump: bot %q has no entry %d (it has %d)", botID, p, len(entries))
		}
		pick[key(entries[p])]++
	}
	drop := func(e Entry) bool {
		k := key(e)
		if pick[k] > 0 {
			pick[k]--
			return true
		}
		return false
	}
	n, err := d.rewrite(d.Path(botID), drop, false)
	if err != nil {
		return n, err
	}
	m, err := d.rewrite(d.IntelMQPath(botID), drop, true)
	return n + m, err
}

func key(e Entry) string {
	b, _ := json.Marshal(e)
	return string(b)
}

// rewrite drops the entries for which drop holds from one file, under its
// lock, by writing a new file and renaming it over the old one.
func (d Dir) rewrite(path string, drop func(Entry) bool, intelmq bool) (int, error) {
	f, err := openLocked(path, os.O_RDWR)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("dump: %w", err)
	}
	var entries []Entry
	if intelmq {
		entries, err = ParseIntelMQ(data)
	} else {
		entries, _, err = ParseLines(data)
	}
	if err != nil {
		return 0, err
	}
	var keep []Entry
	for _, e := range entries {
		if !drop(e) {
			keep = append(keep, e)
		}
	}
	removed := len(entries) - len(keep)
	if removed == 0 {
		return 0, nil
	}
	if len(keep) == 0 {
		return removed, os.Remove(path)
	}
	var out []byte
	if intelmq {
		out, err = FormatIntelMQ(keep)
	} else {
		out, err = formatLines(keep)
	}
	if err != nil {
		return 0, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, out, 0o640); err != nil {
		return 0, fmt.Errorf("dump: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return 0, fmt.Errorf("dump: %w", err)
	}
	return removed, nil
}

func formatLines(entries []Entry) ([]byte, error) {
	var b bytes.Buffer
	for _, e := range entries {
		line, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// Summary is the number of dumped entries of one bot.
type Summary struct {
	BotID string `json:"bot_id"`
	Count int    `json:"count"`
	// Last is the newest entry's timestamp.
	Last string `json:"last"`
	// LastError is the newest entry's error line.
	LastError string `json:"last_error"`
}

// List returns a summary per bot having dumps in the directory, sorted by
// bot id. A directory that does not exist has no dumps.
func (d Dir) List() ([]Summary, error) {
	des, err := os.ReadDir(string(d))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	seen := map[string]bool{}
	var out []Summary
	for _, de := range des {
		name := de.Name()
		id, ok := strings.CutSuffix(name, Suffix)
		if !ok {
			id, ok = strings.CutSuffix(name, IntelMQSuffix)
		}
		if !ok || seen[id] || de.IsDir() {
			continue
		}
		seen[id] = true
		entries, _, err := d.Read(id)
		if err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			continue
		}
		last := entries[len(entries)-1]
		out = append(out, Summary{BotID: id, Count: len(entries), Last: last.Timestamp, LastError: last.Error()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BotID < out[j].BotID })
	return out, nil
}
