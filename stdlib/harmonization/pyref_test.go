// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
)

// pyCase is one line of testdata/pyref/cases.jsonl: what IntelMQ's type
// class returned for an input (recorded by testdata/pyref/gen.py).
type pyCase struct {
	Type       string          `json:"type"`
	In         pyTagged        `json:"in"`
	Valid      json.RawMessage `json:"valid"`
	Sanitized  json.RawMessage `json:"sanitized"`
	ValidAfter json.RawMessage `json:"valid_after"`
}

// pyTagged is a Python value tagged with its type.
type pyTagged struct {
	K string          `json:"k"`
	V json.RawMessage `json:"v"`
}

// value converts a tagged Python value to a Value.
func (p pyTagged) value(t *testing.T) Value {
	t.Helper()
	switch p.K {
	case "none":
		return Value{}
	case "str":
		var s string
		mustUnmarshal(t, p.V, &s)
		return String(s)
	case "int":
		var n int64
		mustUnmarshal(t, p.V, &n)
		return Int(n)
	case "float":
		var f float64
		if err := json.Unmarshal(p.V, &f); err != nil {
			var s string
			mustUnmarshal(t, p.V, &s)
			switch s {
			case "nan":
				f = math.NaN()
			case "inf":
				f = math.Inf(1)
			case "-inf":
				f = math.Inf(-1)
			default:
				t.Fatalf("bad float %s", s)
			}
		}
		return Float(f)
	case "bool":
		var b bool
		mustUnmarshal(t, p.V, &b)
		return Bool(b)
	case "json":
		var s string
		mustUnmarshal(t, p.V, &s)
		return RawJSON(s)
	}
	t.Fatalf("bad kind %q", p.K)
	return Value{}
}

func mustUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("unmarshal %s: %v", data, err)
	}
}

// pyBool reads true, false or "raise" (an exception, which the Go port
// reports as false).
func pyBool(t *testing.T, raw json.RawMessage) bool {
	t.Helper()
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	mustUnmarshal(t, raw, &s)
	if s != "raise" {
		t.Fatalf("bad validity %s", raw)
	}
	return false
}

// loadPyCases reads the recorded IntelMQ behaviour.
func loadPyCases(t *testing.T) []pyCase {
	t.Helper()
	f, err := os.Open("testdata/pyref/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []pyCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c pyCase
		mustUnmarshal(t, sc.Bytes(), &c)
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// caseKey names a case in pyDifferences.
func caseKey(typ string, v Value) string { return typ + " " + PyRepr(v) }

// TestAgainstPythonRecording replays inputs recorded from IntelMQ 3.3 on
// Python 3.11 and checks that Validate and Sanitize give IntelMQ's answers:
// is_valid without sanitize, sanitize (None or an exception is an error
// here), and is_valid of the sanitized value. The deliberate differences
// listed in pyDifferences (and in docs/differences.md) are checked to still
// differ, so the list cannot go stale.
func TestAgainstPythonRecording(t *testing.T) {
	cases := loadPyCases(t)
	if len(cases) < 3000 {
		t.Fatalf("only %d recorded cases", len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		typ, ok := TypeByName(c.Type)
		if !ok {
			t.Fatalf("unknown type %q", c.Type)
		}
		in := c.In.value(t)
		key := caseKey(c.Type, in)
		mismatch := compareWithPython(t, typ, in, c)
		if reason, known := pyDifferences[key]; known {
			seen[key] = true
			if mismatch == "" {
				t.Errorf("%s: listed as a deliberate difference (%s) but matches IntelMQ", key, reason)
			}
			continue
		}
		if mismatch != "" {
			t.Errorf("%s: %s", key, mismatch)
		}
	}
	for key := range pyDifferences {
		if !seen[key] {
			t.Errorf("deliberate difference %s is not in the recording", key)
		}
	}
}

// compareWithPython returns a description of how the Go type differs from
// the recorded IntelMQ behaviour, or "".
func compareWithPython(t *testing.T, typ Type, in Value, c pyCase) string {
	t.Helper()
	if got, want := typ.Validate(in), pyBool(t, c.Valid); got != want {
		return fmt.Sprintf("Validate = %v, IntelMQ %v", got, want)
	}
	got, err := typ.Sanitize(in)
	var wantErr bool
	var want Value
	var s string
	if json.Unmarshal(c.Sanitized, &s) == nil && s == "raise" {
		wantErr = true
	} else {
		var tagged pyTagged
		mustUnmarshal(t, c.Sanitized, &tagged)
		want = tagged.value(t)
		wantErr = want.IsNone()
	}
	switch {
	case wantErr && err == nil:
		return fmt.Sprintf("Sanitize = %s %s, IntelMQ fails", got.Kind(), PyRepr(got))
	case !wantErr && err != nil:
		return fmt.Sprintf("Sanitize fails (%v), IntelMQ gives %s %s", err, want.Kind(), PyRepr(want))
	case !wantErr && !got.Equal(want):
		return fmt.Sprintf("Sanitize = %s %s, IntelMQ %s %s", got.Kind(), PyRepr(got), want.Kind(), PyRepr(want))
	}
	if !wantErr && c.ValidAfter != nil {
		if gotV, wantV := typ.Validate(got), pyBool(t, c.ValidAfter); gotV != wantV {
			return fmt.Sprintf("Validate(Sanitize) = %v, IntelMQ %v", gotV, wantV)
		}
	}
	return ""
}

// pyDifferences lists the recorded cases where the Go port deliberately
// differs from IntelMQ, with the reason (see docs/differences.md).
var pyDifferences = map[string]string{
	// dateutil's fuzzy parser guesses missing parts from today's date and
	// skips words it does not know; datetime.Parse does neither.
	`DateTime '1'`:        "no fuzzy guessing: a bare number is not day 1 of this month",
	`DateTime '-1'`:       "no fuzzy guessing",
	`DateTime '5'`:        "no fuzzy guessing: '5' is not day 5 of this month",
	`DateTime '12'`:       "no fuzzy guessing",
	`DateTime '12.5'`:     "no fuzzy guessing",
	`DateTime '12.7'`:     "no fuzzy guessing",
	`DateTime '1e3'`:      "no fuzzy guessing",
	`DateTime '{"a": 1}'`: "no fuzzy guessing: unknown words are not skipped",
	`DateTime '[1]'`:      "no fuzzy guessing: unknown words are not skipped",
	// Python's strptime matches the literal "T" case-insensitively (and
	// accepts single-digit fields); only the canonical form is valid here.
	`DateTime '2020-03-04t05:06:07+00:00'`: "only the canonical form is valid without sanitizing",
	// IDNA 2003 (Python, Unicode 3.2) against UTS #46 (x/net/idna): an
	// Arabic-Indic digit next to a left-to-right label fails the bidi rule.
	`FQDN '٣.de'`: "IDNA: UTS #46 bidi rule instead of IDNA 2003 nameprep",
	// NaN and infinities cannot be written as JSON numbers.
	`Float '-inf'`:     "no infinite floats",
	`Float 'Infinity'`: "no infinite floats",
	`Float '1e400'`:    "no infinite floats",
	`Float 'nan'`:      "no NaN",
	`Float ' -NaN '`:   "no NaN",
	`Float nan`:        "no NaN",
	`Float -inf`:       "no infinite floats",
}
