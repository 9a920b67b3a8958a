// SPDX-License-Identifier: AGPL-3.0-or-later

package statefile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for _, want := range []map[string]int{{"a": 1}, {"b": 2, "c": 3}} {
		if err := WriteJSON(path, want); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]int
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if len(got) != len(want) || got["a"] != want["a"] || got["b"] != want["b"] || got["c"] != want["c"] {
			t.Errorf("read back %v, want %v", got, want)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the directory holds %d files, want only the state file (no temporary left)", len(entries))
	}
	if err := WriteJSON(filepath.Join(dir, "missing", "state.json"), 1); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	if err := WriteJSON(path, func() {}); err == nil {
		t.Error("a value JSON cannot encode was written")
	}
}
