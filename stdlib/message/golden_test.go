// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// goldenCase is one record of testdata/python/golden.json, produced by
// testdata/python/gen_golden.py running Python IntelMQ's own
// intelmq.lib.message (see that script).
type goldenCase struct {
	Name                     string   `json:"name"`
	InputB64                 string   `json:"input_b64"`
	Error                    string   `json:"error"`
	PythonException          string   `json:"python_exception"`
	Type                     string   `json:"type"`
	Keys                     []string `json:"keys"`
	Wire                     string   `json:"wire"`
	Hash                     string   `json:"hash"`
	HashBlacklist            string   `json:"hash_blacklist"`
	HashWhitelist            string   `json:"hash_whitelist"`
	JSON                     string   `json:"json"`
	JSONHierarchical         string   `json:"json_hierarchical"`
	JSONWithType             string   `json:"json_with_type"`
	JSONHierarchicalWithType string   `json:"json_hierarchical_with_type"`
	JSONDictAsString         string   `json:"json_dict_as_string"`
	Extra                    *string  `json:"extra"`
	Rewire                   string   `json:"rewire"`
	RewireError              string   `json:"rewire_error"`
}

func loadGolden(t testing.TB) []goldenCase {
	t.Helper()
	data, err := os.ReadFile("testdata/python/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Fatalf("only %d golden cases", len(cases))
	}
	return cases
}

// TestPythonGolden checks decoding, the wire bytes, the hash and every
// to_json variant against what Python IntelMQ produced for the same input.
func TestPythonGolden(t *testing.T) {
	for _, gc := range loadGolden(t) {
		t.Run(gc.Name, func(t *testing.T) {
			input, err := base64.StdEncoding.DecodeString(gc.InputB64)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(harmonization.Default(), input)
			if got := errKind(err); got != gc.Error {
				t.Fatalf("Decode error = %v (%q), Python raised %s (%q)", err, got, gc.PythonException, gc.Error)
			}
			if err != nil {
				return
			}
			if m.Type().String() != gc.Type {
				t.Errorf("type = %v, want %s", m.Type(), gc.Type)
			}
			var keys []string
			for _, f := range fieldsOf(m) {
				keys = append(keys, f.Key)
			}
			checks := []struct{ what, got, want string }{
				{"wire", string(m.AppendWire(nil)), gc.Wire},
				{"hash", m.Hash(nil, false), gc.Hash},
				{"hash blacklist", m.Hash([]string{"comment", "extra.b"}, false), gc.HashBlacklist},
				{"hash whitelist", m.Hash([]string{"comment", "extra.b", "time.observation"}, true), gc.HashWhitelist},
				{"to_json", string(m.AppendJSON(nil)), gc.JSON},
				{"to_json hierarchical", string(m.AppendJSONWith(nil, JSONOptions{Hierarchical: true})), gc.JSONHierarchical},
				{"to_json with_type", string(m.AppendJSONWith(nil, JSONOptions{WithType: true})), gc.JSONWithType},
				{"to_json hierarchical with_type",
					string(m.AppendJSONWith(nil, JSONOptions{Hierarchical: true, WithType: true})), gc.JSONHierarchicalWithType},
				{"to_dict jsondict_as_string",
					string(m.AppendJSONWith(nil, JSONOptions{JSONDictAsString: true})), gc.JSONDictAsString},
			}
			if diff := cmp.Diff(gc.Keys, keys); diff != "" {
				t.Errorf("keys (-python +go):\n%s", diff)
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s:\n got %s\nwant %s", c.what, c.got, c.want)
				}
			}
			extra, ok := m.Get("extra")
			switch {
			case gc.Extra == nil && ok:
				t.Errorf(`Get("extra") = %v, Python had no extra`, extra)
			case gc.Extra != nil && (!ok || extra.Str() != *gc.Extra):
				t.Errorf(`Get("extra") = %v, %v; want %s`, extra, ok, *gc.Extra)
			}
			// The next bot reads the wire bytes as Python's does: the same
			// message, except that null, "" and "-" extra members are dropped
			// and uppercase ones fail.
			again, err := Decode(harmonization.Default(), []byte(gc.Wire))
			if got := errKind(err); got != gc.RewireError {
				t.Fatalf("decoding the wire bytes: error %v, Python: %q", err, gc.RewireError)
			}
			if err == nil && string(again.AppendWire(nil)) != gc.Rewire {
				t.Errorf("wire round trip:\n got %s\nwant %s", again, gc.Rewire)
			}
		})
	}
}
