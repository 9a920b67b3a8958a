// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// corpusDir is IntelMQ's recorded parser and expert tests (see its README).
const corpusDir = "../../testdata/conformance/intelmq"

// corpusRun holds the messages of one bot run of a case file.
type corpusRun struct {
	Input    []json.RawMessage `json:"input"`
	Expected []struct {
		Message json.RawMessage `json:"message"`
	} `json:"expected"`
	ObservedOutput map[string][]json.RawMessage `json:"observed_output"`
	AdditionalRuns []corpusRun                  `json:"additional_runs"`
}

// messages returns every message of the run and its additional runs.
func (r corpusRun) messages() []json.RawMessage {
	out := append([]json.RawMessage(nil), r.Input...)
	for _, e := range r.Expected {
		out = append(out, e.Message)
	}
	paths := make([]string, 0, len(r.ObservedOutput))
	for p := range r.ObservedOutput {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		out = append(out, r.ObservedOutput[p]...)
	}
	for _, a := range r.AdditionalRuns {
		out = append(out, a.messages()...)
	}
	return out
}

// pythonRead is what Python IntelMQ changes when it reads a corpus message
// (testdata/python/corpus_reads.json, made by gen_corpus.py with IntelMQ's
// own intelmq.lib.message).
type pythonRead struct {
	Changed map[string]json.RawMessage `json:"changed"`
	Dropped []string                   `json:"dropped"`
	Error   string                     `json:"error"`
}

// TestConformanceCorpus decodes every message of IntelMQ's recorded tests
// (inputs, expected and observed outputs) and checks that it re-encodes to
// the same fields with the same JSON values and types, except where Python
// IntelMQ itself changes the message when it reads it: time.observation with
// another offset than +00:00 is converted to UTC, and fields holding an
// ignored value (null, "", "-", "N/A") are dropped.
func TestConformanceCorpus(t *testing.T) {
	schema := harmonization.Default()
	var reads map[string]map[string]pythonRead
	data, err := os.ReadFile("testdata/python/corpus_reads.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &reads); err != nil {
		t.Fatal(err)
	}
	var files, msgs, changed int
	for _, sub := range []string{"parsers", "experts"} {
		err := filepath.WalkDir(filepath.Join(corpusDir, sub), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var run corpusRun
			if err := json.Unmarshal(data, &run); err != nil {
				t.Errorf("%s: %v", path, err)
				return nil
			}
			files++
			rel, _ := filepath.Rel(corpusDir, path)
			for i, raw := range run.messages() {
				msgs++
				pr, ok := reads[filepath.ToSlash(rel)][strconv.Itoa(i)]
				if ok {
					changed++
				}
				checkCorpusMessage(t, schema, path, i, raw, pr)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d case files, %d messages, %d changed by reading them as Python does", files, msgs, changed)
	if files < 285 || msgs < 2000 {
		t.Errorf("only %d case files and %d messages found under %s", files, msgs, corpusDir)
	}
}

// checkCorpusMessage checks one message against Python's reading pr.
func checkCorpusMessage(t *testing.T, s *harmonization.Schema, path string, i int, raw json.RawMessage, pr pythonRead) {
	t.Helper()
	m, err := Decode(s, raw)
	if pr.Error != "" || err != nil {
		if pr.Error == "" || err == nil {
			t.Errorf("%s message %d: error %v, Python: %q\n%s", path, i, err, pr.Error, raw)
		}
		return
	}
	want := decodeJSONNumbers(t, raw)
	for _, k := range pr.Dropped {
		delete(want, k)
	}
	for k, v := range pr.Changed {
		want[k] = decodeJSONNumbers(t, []byte(`{"v": `+string(v)+`}`))["v"]
	}
	wire := m.AppendWire(nil)
	if diff := cmp.Diff(want, decodeJSONNumbers(t, wire)); diff != "" {
		t.Errorf("%s message %d changed (-corpus +re-encoded):\n%s", path, i, diff)
	}
	again, err := Decode(s, wire)
	if err != nil || !again.Equal(m) {
		t.Errorf("%s message %d: re-decoding the wire form: %v", path, i, err)
	}
}

// decodeJSONNumbers decodes a JSON object keeping numbers as their text, so
// that 100 and 100.0 differ as they do in Python.
func decodeJSONNumbers(t *testing.T, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
	return m
}
