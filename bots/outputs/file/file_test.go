// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

func newOutput(t *testing.T, params map[string]any) *Output {
	t.Helper()
	p, err := conformance.Params(Spec(), params)
	if err != nil {
		t.Fatal(err)
	}
	bot, err := New(&botapi.Context{ID: "file-output"}, p)
	if err != nil {
		t.Fatal(err)
	}
	o := bot.(*Output)
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := o.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

func decode(t *testing.T, wire string) *message.Message {
	t.Helper()
	m, err := message.Decode(harmonization.Default(), []byte(wire))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// write processes the events and flushes the batch.
func write(t *testing.T, o *Output, msgs ...*message.Message) {
	t.Helper()
	for _, m := range msgs {
		if err := o.Process(context.Background(), m, conformance.NewRecorder()); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestIntelMQEmptyEvent follows IntelMQ's test: an empty event with
// hierarchical_output gives "{}\n".
func TestIntelMQEmptyEvent(t *testing.T) {
	name := filepath.Join(t.TempDir(), "events.txt")
	o := newOutput(t, map[string]any{"file": name, "hierarchical_output": true})
	write(t, o, message.NewEvent(harmonization.Default()))
	if got := readFile(t, name); got != "{}\n" {
		t.Errorf("file holds %q, want %q", got, "{}\n")
	}
}

// TestExactBytes compares with what Python IntelMQ's file output wrote for
// the same event twice (testdata/want-events.txt).
func TestExactBytes(t *testing.T) {
	wire := readFile(t, filepath.Join("testdata", "event.json"))
	name := filepath.Join(t.TempDir(), "sub", "dir", "events.txt")
	o := newOutput(t, map[string]any{"file": name})
	write(t, o, decode(t, wire))
	write(t, o, decode(t, wire))
	if got, want := readFile(t, name), readFile(t, filepath.Join("testdata", "want-events.txt")); got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
}

func TestAppendsToExistingFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "events.txt")
	if err := os.WriteFile(name, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := newOutput(t, map[string]any{"file": name, "single_key": "source.ip"})
	write(t, o, decode(t, `{"source.ip": "192.0.2.1", "__type": "Event"}`))
	if got := readFile(t, name); got != "old\n192.0.2.1\n" {
		t.Errorf("file holds %q", got)
	}
}

// TestFormatFilename writes events to files named after their fields.
func TestFormatFilename(t *testing.T) {
	dir := t.TempDir()
	o := newOutput(t, map[string]any{"format_filename": true,
		"file": dir + "/{event[feed.name]}/{event[time.source]:%Y-%m-%d}-{event[source.port]:05d}.json", "single_key": "source.ip"})
	write(t, o,
		decode(t, `{"feed.name": "A", "time.source": "2024-03-05T23:59:59+00:00", "source.port": 80, "source.ip": "192.0.2.1", "__type": "Event"}`),
		decode(t, `{"feed.name": "B", "time.source": "2024-03-06T00:00:00.5+00:00", "source.port": 443, "source.ip": "192.0.2.2", "__type": "Event"}`),
		decode(t, `{"feed.name": "A", "time.source": "2024-03-05T01:00:00+00:00", "source.port": 80, "source.ip": "192.0.2.3", "__type": "Event"}`),
		decode(t, `{"feed.name": "x/../../etc", "time.source": "2024-03-05T01:00:00+00:00", "source.port": 1, "source.ip": "192.0.2.4", "__type": "Event"}`),
	)
	got := map[string]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			got[rel] = readFile(t, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"A/2024-03-05-00080.json":           "192.0.2.1\n192.0.2.3\n",
		"B/2024-03-06-00443.json":           "192.0.2.2\n",
		"x_.._.._etc/2024-03-05-00001.json": "192.0.2.4\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(o.files) != 0 {
		t.Errorf("%d files stay open after Flush with format_filename", len(o.files))
	}
}

func TestFormatFilenameDatetimeStr(t *testing.T) {
	dir := t.TempDir()
	o := newOutput(t, map[string]any{"format_filename": true, "file": dir + "/{event[time.observation]}.txt"})
	write(t, o, decode(t, `{"time.observation": "2024-03-05T01:02:03.000450+00:00", "__type": "Event"}`))
	// Python's str(datetime) has a space and the microseconds.
	if _, err := os.Stat(filepath.Join(dir, "2024-03-05 01:02:03.000450.txt")); err != nil {
		t.Error(err)
	}
}

func TestFormatFilenameMissingField(t *testing.T) {
	o := newOutput(t, map[string]any{"format_filename": true, "file": t.TempDir() + "/{event[source.ip]}.txt"})
	err := o.Process(context.Background(), decode(t, `{"source.port": 1, "__type": "Event"}`), conformance.NewRecorder())
	if !errors.Is(err, botapi.ErrPermanent) {
		t.Errorf("missing field: error = %v, want a permanent error", err)
	}
}

// TestRotation: after the file is moved away, the next batch goes to a
// new file of the same name.
func TestRotation(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "events.txt")
	o := newOutput(t, map[string]any{"file": name, "single_key": "source.ip"})
	write(t, o, decode(t, `{"source.ip": "192.0.2.1", "__type": "Event"}`))
	if err := os.Rename(name, name+".1"); err != nil {
		t.Fatal(err)
	}
	write(t, o, decode(t, `{"source.ip": "192.0.2.2", "__type": "Event"}`))
	write(t, o, decode(t, `{"source.ip": "192.0.2.3", "__type": "Event"}`))
	got := []string{readFile(t, name+".1"), readFile(t, name)}
	want := []string{"192.0.2.1\n192.0.2.2\n", "192.0.2.3\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rotated, current (-want +got):\n%s", diff)
	}
}

func TestSyncAndClose(t *testing.T) {
	name := filepath.Join(t.TempDir(), "events.txt")
	o := newOutput(t, map[string]any{"file": name, "sync": true, "single_key": "source.ip"})
	write(t, o, decode(t, `{"source.ip": "192.0.2.1", "__type": "Event"}`))
	if err := o.Process(context.Background(), decode(t, `{"source.ip": "192.0.2.2", "__type": "Event"}`), conformance.NewRecorder()); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, name); got != "192.0.2.1\n192.0.2.2\n" {
		t.Errorf("file holds %q", got)
	}
}

func TestValidate(t *testing.T) {
	for _, file := range []string{"/tmp/{time[%Y]}.txt", "/tmp/{event[no.such.field]}.txt", "/tmp/{event}.txt", "/tmp/{event[a"} {
		p, _ := conformance.Params(Spec(), map[string]any{"file": file, "format_filename": true})
		bot, err := New(&botapi.Context{}, p)
		if err == nil {
			err = bot.(*Output).Validate()
		}
		if err == nil {
			t.Errorf("file %q accepted", file)
		}
	}
}

func TestStartCannotCreate(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "blocker")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p, _ := conformance.Params(Spec(), map[string]any{"file": filepath.Join(blocker, "x", "events.txt")})
	bot, _ := New(&botapi.Context{}, p)
	err := bot.(*Output).Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "blocker") {
		t.Errorf("Start below a regular file: error = %v", err)
	}
}

func TestFilesSortedKeysHierarchical(t *testing.T) {
	name := filepath.Join(t.TempDir(), "events.txt")
	o := newOutput(t, map[string]any{"file": name, "hierarchical_output": true, "message_with_type": true})
	write(t, o, decode(t, `{"source.port": 80, "source.ip": "192.0.2.1", "extra.b": 1, "extra.a": {"z": 1, "y": 2}, "__type": "Event"}`))
	want := `{"__type": "Event", "extra": {"a": {"y": 2, "z": 1}, "b": 1}, "source": {"ip": "192.0.2.1", "port": 80}}` + "\n"
	if got := readFile(t, name); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestWithRunner runs the output in the runner (bottest): every event is
// in the file when the run ends, in order.
func TestWithRunner(t *testing.T) {
	name := filepath.Join(t.TempDir(), "events.txt")
	p, err := conformance.Params(Spec(), map[string]any{"file": name})
	if err != nil {
		t.Fatal(err)
	}
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindOutput, New: New, Params: p, Input: []any{
		`{"source.ip": "192.0.2.1", "raw": "eA==", "__type": "Event"}`,
		`{"source.ip": "192.0.2.2", "extra.text": "ünïcode", "__type": "Event"}`,
	}})
	res.AssertOutputLen(t, "", 0)
	want := `{"source.ip": "192.0.2.1"}` + "\n" + `{"extra.text": "ünïcode", "source.ip": "192.0.2.2"}` + "\n"
	if got := readFile(t, name); got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
}
