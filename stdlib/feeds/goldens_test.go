// SPDX-License-Identifier: AGPL-3.0-or-later

package feeds_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/intelmq-go/intelmq/internal/conformance"
)

// goldensDir holds a golden test per shipped parser, run by
// cmd/intelmq/cli's TestFeedGoldens.
var goldensDir = filepath.Join("..", "..", "testdata", "feeds")

// TestGoldensAgree checks the events of every golden of testdata/feeds
// against IntelMQ's expected events of the corpus case it names ("# corpus:
// <dir>/<TestClass>.<test_method>"), field by field as the conformance
// runner compares them; "# corpus: none" says IntelMQ's tests have no case
// of the sample (Shadowserver report types other than the test schema's).
// A sample cut from a large report says how many of
// the report's first events it gives ("# corpus-events: N"). A golden of a case that pending() lists, or that
// is a known difference, only logs its differences; TestConformance keeps
// both lists true.
func TestGoldensAgree(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join(goldensDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) == 0 {
		t.Fatal("no goldens under testdata/feeds")
	}
	cases, err := conformance.LoadParserCases(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*conformance.Case{}
	for _, c := range cases {
		byName[c.Name] = c
	}
	waiting := pending()
	known := conformance.KnownDifferences()
	for _, script := range scripts {
		name := strings.TrimSuffix(filepath.Base(script), ".txtar")
		caseName, problems, err := goldenProblems(script, byName)
		feature, isPending := waiting[caseName]
		reason, isKnown := known[caseName]
		switch {
		case err != nil:
			t.Errorf("%s: %v", name, err)
		case len(problems) > 0 && isPending:
			t.Logf("PENDING %s (%s) needs %s:\n  %s", name, caseName, feature, strings.Join(problems, "\n  "))
		case len(problems) > 0 && isKnown:
			t.Logf("KNOWN %s (%s): %s:\n  %s", name, caseName, reason, strings.Join(problems, "\n  "))
		case len(problems) > 0:
			t.Errorf("%s differs from IntelMQ's events of %s:\n  %s", name, caseName, strings.Join(problems, "\n  "))
		}
	}
}

// goldenProblems compares the events of a golden with the expected events
// of the first run of the IntelMQ case it names, as the conformance runner
// does: time.observation ignored, raw compared where IntelMQ's test
// compares it. parse prints events without IntelMQ's "__type".
func goldenProblems(script string, cases map[string]*conformance.Case) (string, []string, error) {
	ar, err := txtar.ParseFile(script)
	if err != nil {
		return "", nil, err
	}
	var caseName string
	// "The sample ends without a newline in IntelMQ's test; a txtar file adds
	// one.": a raw holding the whole report (raw = "text") has one "\n" more
	// than IntelMQ's.
	addedNewline := strings.Contains(string(ar.Comment), "a txtar file adds one")
	prefix := -1 // "# corpus-events: N": the sample is a part of the report giving its first N events
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "# corpus: "); ok {
			caseName = strings.TrimSpace(rest)
		}
		if rest, ok := strings.CutPrefix(line, "# corpus-events: "); ok {
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err != nil || n < 0 {
				return "", nil, fmt.Errorf("bad line %q", line)
			}
			prefix = n
		}
	}
	if caseName == "none" {
		return "", nil, nil // "# corpus: none": IntelMQ's tests have no case of this sample
	}
	if caseName == "" {
		return "", nil, errors.New(`no "# corpus: <dir>/<TestClass>.<test_method>" (or "# corpus: none") line naming IntelMQ's case`)
	}
	c := cases[caseName]
	if c == nil {
		return caseName, nil, fmt.Errorf("the corpus has no case %s", caseName)
	}
	var events []byte
	found := false
	for _, f := range ar.Files {
		if f.Name == "events.jsonl" {
			events, found = f.Data, true
		}
	}
	if !found {
		return caseName, nil, errors.New("no events.jsonl section")
	}
	var got []map[string]any
	for _, line := range strings.Split(string(events), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			return caseName, nil, fmt.Errorf("events.jsonl: %w", err)
		}
		got = append(got, m)
	}
	var problems []string
	run := c.Runs[0]
	switch want := run.OutputCounts["_default"]; {
	case prefix >= 0 && len(got) != prefix:
		problems = append(problems, fmt.Sprintf("%d events, want the %d IntelMQ sent for this part of its report", len(got), prefix))
	case prefix < 0 && len(got) != want:
		problems = append(problems, fmt.Sprintf("%d events, IntelMQ sent %d", len(got), want))
	}
	for _, e := range run.Expected {
		switch {
		case prefix >= 0 && e.Position >= prefix:
			continue // from the part of the report the sample leaves out
		case e.Position >= len(got):
			problems = append(problems, fmt.Sprintf("event %d is missing", e.Position))
			continue
		}
		want := maps.Clone(e.Message)
		delete(want, "__type")
		if addedNewline {
			got[e.Position] = dropAddedNewline(want, got[e.Position])
		}
		if d := conformance.Diff(want, got[e.Position], e.CompareRaw); d != "" {
			problems = append(problems, fmt.Sprintf("event %d: %s", e.Position, d))
		}
	}
	return caseName, problems, nil
}

// dropAddedNewline returns got with the "\n" a txtar file added to the
// sample cut off its raw, when that alone makes it IntelMQ's raw.
func dropAddedNewline(want, got map[string]any) map[string]any {
	w, _ := want["raw"].(string)
	g, _ := got["raw"].(string)
	wb, err1 := base64.StdEncoding.DecodeString(w)
	gb, err2 := base64.StdEncoding.DecodeString(g)
	if err1 != nil || err2 != nil || string(gb) != string(wb)+"\n" {
		return got
	}
	got = maps.Clone(got)
	got["raw"] = w
	return got
}
