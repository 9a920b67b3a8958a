// SPDX-License-Identifier: AGPL-3.0-or-later

package export

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// TestAppend compares with the bytes Python IntelMQ's export_event writes
// for the same event (testdata/want-*.txt were written by CPython's
// json.dumps(ensure_ascii=False, sort_keys=True) and str()).
func TestAppend(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "event.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
	}{
		{"flat", Options{}},
		{"hierarchical-type", Options{Hierarchical: true, WithType: true}},
		{"keep-raw", Options{KeepRaw: true}},
		{"single-port", Options{SingleKey: "source.port"}},
		{"single-accuracy", Options{SingleKey: "feed.accuracy"}},
		{"single-obj", Options{SingleKey: "extra.obj"}},
		{"single-flag", Options{SingleKey: "extra.flag"}},
		{"single-missing", Options{SingleKey: "missing.key"}},
		{"single-raw", Options{SingleKey: "raw"}},
		{"single-output", Options{SingleKey: "output"}},
	}
	for _, tt := range tests {
		msg, err := message.Decode(harmonization.Default(), data)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", "want-"+tt.name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := tt.opts.Append([]byte("prefix:"), msg)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != "prefix:"+string(want) {
			t.Errorf("%s:\n got %s\nwant prefix:%s", tt.name, got, want)
		}
	}
}

func TestFromParams(t *testing.T) {
	p := botapi.MapParams{ParamSingleKey: "raw", ParamKeepRaw: true, ParamHierarchical: true, ParamWithType: true}
	got := FromParams(p)
	if got.order == nil {
		t.Error("FromParams gives no KeyOrder")
	}
	if got.order = nil; got != (Options{SingleKey: "raw", KeepRaw: true, Hierarchical: true, WithType: true}) {
		t.Errorf("FromParams = %+v", got)
	}
	spec := botapi.Spec{ID: "output.x", Kind: botapi.KindOutput, Params: Params()}
	if err := spec.Validate(); err != nil {
		t.Error(err)
	}
}
