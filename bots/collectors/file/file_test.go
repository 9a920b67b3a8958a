// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

const lorem = "Lorem ipsum dolor sit amet, ea suas exerci gloriatur vix.\n"

// newCollector builds and starts a file collector; log receives its log.
func newCollector(t *testing.T, params map[string]any) (*Collector, *bytes.Buffer) {
	t.Helper()
	return newCollectorHint(t, params, nil)
}

// newCollectorHint is newCollector for a feed whose parser the runtime
// describes with hint.
func newCollectorHint(t *testing.T, params map[string]any, hint *botapi.ParserHint) (*Collector, *bytes.Buffer) {
	t.Helper()
	p, err := conformance.Params(Spec(), params)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	bc := &botapi.Context{
		ID:     "file-collector",
		Clock:  clock.NewManual(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)),
		Feed:   &botapi.Feed{Name: "Example feed", Accuracy: 100, Parser: hint},
		Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	bot, err := New(bc, p)
	if err != nil {
		t.Fatal(err)
	}
	c := bot.(*Collector)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c, &log
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// collect runs one collection and returns the reports as flat maps with
// raw decoded.
func collect(t *testing.T, c *Collector) []map[string]string {
	t.Helper()
	rec := conformance.NewRecorder()
	if err := c.Collect(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, m := range rec.Messages(t, botapi.DefaultPath) {
		r := map[string]string{}
		m.Range(func(k string, v harmonization.Value) bool { r[k] = v.String(); return true })
		raw, err := m.RawText()
		if err != nil {
			t.Fatal(err)
		}
		r["raw"] = raw
		out = append(out, r)
	}
	return out
}

func want(dir, name, raw string) map[string]string {
	return map[string]string{
		"feed.name": "Example feed", "feed.accuracy": "100.0", "time.observation": "2024-01-02T03:04:05+00:00",
		"feed.url": "file://localhost" + filepath.Join(dir, name), "extra.file_name": name, "raw": raw,
	}
}

// TestIntelMQEvents follows IntelMQ's test_events: one report for the .txt
// file, none for the empty one, nothing for other endings.
func TestIntelMQEvents(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"testfile.txt": lorem, "empty.txt": "", "other.csv": "a,b\n"})
	c, _ := newCollector(t, map[string]any{"path": dir, "postfix": ".txt"})
	got := collect(t, c)
	if diff := cmp.Diff([]map[string]string{want(dir, "testfile.txt", lorem)}, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	// Without delete_file or move_to the file is read again, as in IntelMQ.
	if again := collect(t, c); len(again) != 1 {
		t.Errorf("second collection: %d reports, want 1", len(again))
	}
}

// TestFileLock follows IntelMQ's test_file_lock.
func TestFileLock(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"testfile.txt": lorem})
	path := filepath.Join(dir, "testfile.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	c, log := newCollector(t, map[string]any{"path": dir, "postfix": ".txt", "delete_file": true})
	if got := collect(t, c); len(got) != 0 {
		t.Errorf("a locked file gave %d reports", len(got))
	}
	if msg := fmt.Sprintf("File '%s' is locked by another process, skipping.", path); !strings.Contains(log.String(), msg) {
		t.Errorf("log lacks %q:\n%s", msg, log)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("a locked file was deleted: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	if got := collect(t, c); len(got) != 1 {
		t.Errorf("after unlocking: %d reports, want 1", len(got))
	}
}

func TestDeleteFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.csv": "1\n", "b.csv": "2\n", "keep.txt": "x\n"})
	c, _ := newCollector(t, map[string]any{"path": dir, "delete_file": true})
	got := collect(t, c)
	wantReports := []map[string]string{want(dir, "a.csv", "1\n"), want(dir, "b.csv", "2\n")}
	if diff := cmp.Diff(wantReports, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if diff := cmp.Diff([]string{filepath.Join(dir, "keep.txt")}, left); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
	if again := collect(t, c); len(again) != 0 {
		t.Errorf("deleted files gave %d reports", len(again))
	}
}

func TestMoveTo(t *testing.T) {
	dir, done := t.TempDir(), filepath.Join(t.TempDir(), "done", "feeds")
	writeFiles(t, dir, map[string]string{"a.csv": "1\n"})
	c, _ := newCollector(t, map[string]any{"path": dir, "move_to": done})
	if got := collect(t, c); len(got) != 1 {
		t.Fatalf("%d reports, want 1", len(got))
	}
	if _, err := os.Stat(filepath.Join(dir, "a.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file is still in the source directory: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(done, "a.csv"))
	if err != nil || string(data) != "1\n" {
		t.Errorf("moved file: %q, %v", data, err)
	}
}

func TestGlobPath(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"feed-1.json": "{}\n", "feed-2.json": "[]\n", "other.json": "x\n"})
	if err := os.Mkdir(filepath.Join(dir, "feed-3.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	c, _ := newCollector(t, map[string]any{"path": filepath.Join(dir, "feed-*.json")})
	got := collect(t, c)
	wantReports := []map[string]string{want(dir, "feed-1.json", "{}\n"), want(dir, "feed-2.json", "[]\n")}
	if diff := cmp.Diff(wantReports, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

func TestChunking(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"big.csv": "ip,port\n1.1.1.1,80\n2.2.2.2,443\n3.3.3.3,22\n"})
	c, _ := newCollector(t, map[string]any{"path": dir, "chunk_size": 24})
	var raws []string
	for _, r := range collect(t, c) {
		if r["extra.file_name"] != "big.csv" {
			t.Errorf("chunk without extra.file_name: %v", r)
		}
		raws = append(raws, r["raw"])
	}
	// As IntelMQ's generate_reports splits it.
	wantRaws := []string{"ip,port\n1.1.1.1,80\n2.2.2.2,443\n", "ip,port\n3.3.3.3,22\n"}
	if diff := cmp.Diff(wantRaws, raws); diff != "" {
		t.Errorf("chunks (-want +got):\n%s", diff)
	}
	c, _ = newCollector(t, map[string]any{"path": dir, "chunk_size": 12, "chunk_replicate_header": false})
	raws = raws[:0]
	for _, r := range collect(t, c) {
		raws = append(raws, r["raw"])
	}
	wantRaws = []string{"ip,port\n", "1.1.1.1,80\n", "2.2.2.2,443\n", "3.3.3.3,22\n"}
	if diff := cmp.Diff(wantRaws, raws); diff != "" {
		t.Errorf("chunks without header (-want +got):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		params map[string]any
	}{
		{"delete every file", map[string]any{"path": dir, "postfix": "", "delete_file": true}},
		{"delete and move", map[string]any{"path": dir, "delete_file": true, "move_to": dir}},
		{"negative chunk size", map[string]any{"path": dir, "chunk_size": -1}},
		{"bad pattern", map[string]any{"path": dir + "/[*"}},
	}
	for _, tt := range tests {
		p, err := conformance.Params(Spec(), tt.params)
		if err != nil {
			t.Fatal(err)
		}
		bot, _ := New(&botapi.Context{}, p)
		if err := bot.(*Collector).Validate(); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

// TestStartChecksDirectory checks that a missing path is a passing error
// and a path that is neither a directory nor a regular file (a device) a
// fatal one.
func TestStartChecksDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"f.csv": "x"})
	for _, tt := range []struct {
		path  string
		fatal bool
	}{{filepath.Join(dir, "missing"), false}, {os.DevNull, true}} {
		p, _ := conformance.Params(Spec(), map[string]any{"path": tt.path})
		bot, _ := New(&botapi.Context{Logger: slog.New(slog.DiscardHandler)}, p)
		err := bot.(*Collector).Start(context.Background())
		if err == nil || errors.Is(err, botapi.ErrFatal) != tt.fatal {
			t.Errorf("Start(%s) = %v, want an error (fatal %v)", tt.path, err, tt.fatal)
		}
	}
}

// TestWithRunner runs the collector in the runner (bottest) and deletes
// the file after its report was sent.
func TestWithRunner(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"testfile.txt": lorem})
	p, err := conformance.Params(Spec(), map[string]any{"path": dir, "postfix": ".txt", "delete_file": true})
	if err != nil {
		t.Fatal(err)
	}
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindCollector, New: New, Params: p,
		Feed: &botapi.Feed{Name: "Example feed", Accuracy: 100}})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Example feed", "feed.accuracy": 100.0,
		"feed.url": "file://localhost" + filepath.Join(dir, "testfile.txt"), "extra.file_name": "testfile.txt",
		"raw": base64.StdEncoding.EncodeToString([]byte(lorem))}, true, "")
	if _, err := os.Stat(filepath.Join(dir, "testfile.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file was not deleted: %v", err)
	}
}

// TestSingleFilePath checks that a path naming one file reads that file,
// without the postfix filter, and finds nothing once delete_file took it.
func TestSingleFilePath(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"list.txt": "192.0.2.1\n", "other.txt": "192.0.2.2\n"})
	c, _ := newCollector(t, map[string]any{"path": filepath.Join(dir, "list.txt"), "delete_file": true})
	got := collect(t, c)
	if diff := cmp.Diff([]map[string]string{want(dir, "list.txt", "192.0.2.1\n")}, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "list.txt")); !os.IsNotExist(err) {
		t.Errorf("delete_file left the file: %v", err)
	}
	if got := collect(t, c); len(got) != 0 {
		t.Errorf("second collection after delete_file: %v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "other.txt")); err != nil {
		t.Errorf("a file beside the named one was touched: %v", err)
	}
}
