// SPDX-License-Identifier: AGPL-3.0-or-later

package parsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// BadRecord is one record a parser reported with Records.Bad.
type BadRecord struct {
	Raw  string
	Line int
	Err  error
}

// Recorder is a botapi.Records that keeps the wire form of every event
// sent and every bad record, as the runner would deliver and dump them.
type Recorder struct {
	report *message.Message
	// Events holds the wire JSON of the events sent, in order.
	Events [][]byte
	// Bads holds the bad records reported, in order.
	Bads []BadRecord
}

var _ botapi.Records = (*Recorder)(nil)

// NewRecorder returns a Recorder for the events of report.
func NewRecorder(report *message.Message) *Recorder {
	return &Recorder{report: report}
}

// NewEvent returns an event holding the fields IntelMQ copies from the
// report.
func (r *Recorder) NewEvent() *message.Message {
	return message.EventFromReport(r.report, nil)
}

// Event records ev with raw as its raw field. Like the runner, it refuses
// an event without classification.type.
func (r *Recorder) Event(ev *message.Message, raw string) error {
	m := ev.Clone()
	if raw != "" {
		if err := message.SetRawText(m, raw); err != nil {
			return err
		}
	}
	if !m.Has("classification.type") {
		return fmt.Errorf("event without classification.type: %s", m)
	}
	r.Events = append(r.Events, m.AppendWire(nil))
	return nil
}

// Bad records a bad record.
func (r *Recorder) Bad(raw string, line int, err error) {
	r.Bads = append(r.Bads, BadRecord{Raw: raw, Line: line, Err: err})
}

// Decoded returns the events sent, decoded, failing t on an error.
func (r *Recorder) Decoded(t testing.TB) []*message.Message {
	t.Helper()
	out := make([]*message.Message, 0, len(r.Events))
	for _, data := range r.Events {
		m, err := message.Decode(harmonization.Default(), data)
		if err != nil {
			t.Fatalf("event %s: %v", data, err)
		}
		out = append(out, m)
	}
	return out
}

// Context returns the botapi.Context a test constructs a bot with.
func Context() *botapi.Context {
	return &botapi.Context{
		ID:      "test-parser",
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Schema:  harmonization.Default(),
		Testing: true,
	}
}

// New constructs the parser of spec with params, failing t on an error.
func New(t testing.TB, ctor botapi.Constructor, params botapi.Params) botapi.Parser {
	t.Helper()
	b, err := ctor(Context(), params)
	if err != nil {
		t.Fatalf("constructor: %v", err)
	}
	p, ok := b.(botapi.Parser)
	if !ok {
		t.Fatalf("the bot is a %T, not a botapi.Parser", b)
	}
	return p
}

// ParseText runs p on a report holding text as its raw data and the given
// feed name.
func ParseText(t testing.TB, p botapi.Parser, feed, text string) (*Recorder, error) {
	t.Helper()
	report := message.NewReport(harmonization.Default())
	if err := report.AddString("feed.name", feed); err != nil {
		t.Fatal(err)
	}
	if err := message.SetRawText(report, text); err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder(report)
	return rec, p.Parse(context.Background(), report, rec)
}

// Corpus returns the directory of IntelMQ's recorded parser cases of the
// test directory dir (e.g. "cymru"), seen from a package in bots/parsers.
func Corpus(dir string) string {
	return filepath.Join("..", "..", "..", "testdata", "conformance", "intelmq", "parsers", dir)
}

// Replay runs, through the runner (runtime/bottest), every recorded run of
// every case in dir (files *.json) whose bot is module, on a fresh parser
// built by ctor, and checks the output: the number of events, each
// expected message (IntelMQ's assertMessageEqual), every message IntelMQ
// actually produced (raw included, time.observation excepted) and the
// log. It fails t when no case is for module, and returns the names of
// the cases whose checks all passed.
func Replay(t *testing.T, dir, module string, spec botapi.Spec, ctor botapi.Constructor) []string {
	t.Helper()
	var passed []string
	n := 0
	for _, c := range conformance.LoadDir(t, dir) {
		if c.Bot != module {
			continue
		}
		n++
		observed := loadObserved(t, filepath.Join(dir, c.Name+".json"))
		ok := t.Run(c.Name, func(t *testing.T) {
			for i, run := range c.Runs() {
				params, err := conformance.Params(spec, run.Parameters)
				if err != nil {
					t.Fatalf("run %d: %v", i, err)
				}
				res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: ctor, Params: params,
					Input: run.Inputs(), Paths: run.Paths(),
					AllowedErrors: run.AllowedErrors, AllowedWarnings: run.AllowedWarnings})
				run.CheckResult(t, res)
				if i < len(observed) && observed[i] != nil {
					rec := conformance.NewRecorder()
					for path, msgs := range res.Wire {
						for _, m := range msgs {
							rec.Sent[path] = append(rec.Sent[path], []byte(m))
						}
					}
					checkObserved(t, observed[i], rec)
				}
			}
		})
		if ok {
			passed = append(passed, c.Name)
		}
	}
	if n == 0 {
		t.Fatalf("no case of %s in %s", module, dir)
	}
	return passed
}

// loadObserved reads the observed_output of a case's runs (nil where a
// run has none).
func loadObserved(t testing.TB, path string) []map[string][]map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type run struct {
		Observed map[string][]map[string]any `json:"observed_output"`
	}
	var c struct {
		run
		Additional []run `json:"additional_runs"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := []map[string][]map[string]any{c.Observed}
	for _, r := range c.Additional {
		out = append(out, r.Observed)
	}
	return out
}

// checkObserved compares every message IntelMQ produced with what was
// sent, raw included, time.observation excepted.
func checkObserved(t testing.TB, observed map[string][]map[string]any, rec *conformance.Recorder) {
	t.Helper()
	paths := make([]string, 0, len(observed))
	for p := range observed {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		want := observed[path]
		got := rec.Sent[path]
		if len(got) != len(want) {
			t.Errorf("path %s: %d messages, IntelMQ produced %d", path, len(got), len(want))
			continue
		}
		for i := range want {
			g, err := decodeJSON(got[i])
			if err != nil {
				t.Fatalf("path %s position %d: %v", path, i, err)
			}
			if diff := cmp.Diff(normalize(want[i]), normalize(g)); diff != "" {
				t.Errorf("path %s position %d differs from IntelMQ's output (-IntelMQ +got):\n%s", path, i, diff)
			}
		}
	}
}

func decodeJSON(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	err := dec.Decode(&m)
	return m, err
}

// normalize drops time.observation and tags numbers with their JSON type,
// so 80 and 80.0 differ.
func normalize(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != "time.observation" {
			out[k] = conformance.TagNumbers(v)
		}
	}
	return out
}

// Fuzz is the body of a parser bot's fuzz test: it seeds f with the
// corpus samples (paths below testdata/conformance/intelmq, e.g.
// "samples/bots/parsers/twitter/tweet.txt") and checks that any text
// gives events the harmonization accepts or bad records, never a panic
// or an error of Parse. The parser is built once with its declared
// defaults.
func Fuzz(f *testing.F, spec botapi.Spec, ctor botapi.Constructor, samples ...string) {
	f.Helper()
	for _, s := range samples {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "conformance", "intelmq", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	params := botapi.MapParams{}
	for _, p := range spec.Params {
		params[p.Name] = p.Default
	}
	p := New(f, ctor, params)
	f.Fuzz(func(t *testing.T, text string) {
		// IntelMQ's add ignores these values: a report without raw data.
		if text == "" || text == "-" || text == "N/A" || !utf8.ValidString(text) {
			return
		}
		rec, err := ParseText(t, p, "Fuzz", text)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		rec.Decoded(t)
	})
}
