// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// addSequence is one record of testdata/python/golden_add.json, produced by
// testdata/python/gen_add.py with Python IntelMQ's intelmq.lib.message.
type addSequence struct {
	Name    string              `json:"name"`
	Type    string              `json:"type"`
	Ops     [][]json.RawMessage `json:"ops"`
	Results []struct {
		Result *bool  `json:"result"`
		Error  string `json:"error"`
	} `json:"results"`
	Wire string `json:"wire"`
	Hash string `json:"hash"`
	JSON string `json:"json"`
}

// jsonValue converts JSON text to the Value a Python json.loads value maps to.
func jsonValue(t *testing.T, text json.RawMessage) harmonization.Value {
	t.Helper()
	r := objReader{src: string(text), m: NewEvent(nil)}
	v, _, err := r.value(skipWS(r.src, 0))
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return v
}

// TestPythonAddSequences replays add, change, update and delete sequences on
// typed fields and compares every result and the final message with Python
// IntelMQ's.
func TestPythonAddSequences(t *testing.T) {
	data, err := os.ReadFile("testdata/python/golden_add.json")
	if err != nil {
		t.Fatal(err)
	}
	var seqs []addSequence
	if err := json.Unmarshal(data, &seqs); err != nil {
		t.Fatal(err)
	}
	for _, seq := range seqs {
		t.Run(seq.Name, func(t *testing.T) {
			typ := harmonization.Event
			if seq.Type == "Report" {
				typ = harmonization.Report
			}
			m := New(nil, typ)
			for i, op := range seq.Ops {
				added, err := applyOp(t, m, op)
				want := seq.Results[i]
				if got := errKind(err); got != want.Error {
					t.Errorf("op %d %s: error %v (%q), Python %q", i, op, err, got, want.Error)
				}
				if wantAdded := want.Result != nil && *want.Result; err == nil && added != wantAdded {
					t.Errorf("op %d %s: added = %v, Python returned %v", i, op, added, want.Result)
				}
			}
			if got := m.String(); got != seq.Wire {
				t.Errorf("wire:\n got %s\nwant %s", got, seq.Wire)
			}
			if got := m.Hash(nil, false); got != seq.Hash {
				t.Errorf("hash = %s, want %s", got, seq.Hash)
			}
			if got := string(m.AppendJSON(nil)); got != seq.JSON {
				t.Errorf("to_json:\n got %s\nwant %s", got, seq.JSON)
			}
		})
	}
}

// applyOp runs one recorded operation and returns what AddWith returned (or
// true for a successful change).
func applyOp(t *testing.T, m *Message, op []json.RawMessage) (bool, error) {
	t.Helper()
	var name, key string
	if err := json.Unmarshal(op[0], &name); err != nil {
		t.Fatal(err)
	}
	if name == "update" {
		other := New(nil, m.Type())
		r := objReader{src: string(op[1]), m: other}
		if err := r.open(); err != nil {
			t.Fatal(err)
		}
		for {
			k, v, ok, err := r.next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			other.put(k, v) // a plain dict, unchecked
		}
		return false, m.Update(other)
	}
	if err := json.Unmarshal(op[1], &key); err != nil {
		t.Fatal(err)
	}
	switch name {
	case "delete":
		m.Delete(key)
		return false, nil
	case "change":
		err := m.Change(key, jsonValue(t, op[2]))
		return err == nil, err
	}
	var kw struct {
		Sanitize     *bool             `json:"sanitize"`
		Overwrite    *bool             `json:"overwrite"`
		Ignore       []json.RawMessage `json:"ignore"`
		RaiseFailure *bool             `json:"raise_failure"`
	}
	if len(op) > 3 {
		if err := json.Unmarshal(op[3], &kw); err != nil {
			t.Fatal(err)
		}
	}
	o := AddOptions{NoSanitize: kw.Sanitize != nil && !*kw.Sanitize, NoRaise: kw.RaiseFailure != nil && !*kw.RaiseFailure}
	switch {
	case kw.Overwrite != nil && *kw.Overwrite:
		o.Overwrite = OverwriteYes
	case kw.Overwrite != nil:
		o.Overwrite = OverwriteNo
	}
	for _, ig := range kw.Ignore {
		o.Ignore = append(o.Ignore, jsonValue(t, ig))
	}
	return m.AddWith(key, jsonValue(t, op[2]), o)
}
