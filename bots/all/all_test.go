// SPDX-License-Identifier: AGPL-3.0-or-later

package all

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

func TestRegister(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"collector.file", "collector.http",
		"expert.deduplicator", "expert.taxonomy", "expert.url",
		"output.blackhole", "output.file", "output.redis", "output.stdout",
	}
	if diff := cmp.Diff(want, r.IDs(0)); diff != "" {
		t.Errorf("registered bots (-want +got):\n%s", diff)
	}
	for _, id := range want {
		if r.Constructor(id) == nil {
			t.Errorf("%s has no constructor", id)
		}
		spec, _ := r.Lookup(id)
		if spec.Doc == "" {
			t.Errorf("%s has no documentation", id)
		}
		for _, p := range spec.Params {
			if p.Doc == "" {
				t.Errorf("%s: parameter %s has no documentation", id, p.Name)
			}
		}
	}
}

func TestRegisterTwice(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	if err := Register(r); !errors.Is(err, botapi.ErrDuplicateID) {
		t.Errorf("second Register: error = %v, want ErrDuplicateID", err)
	}
}

// TestDefaultsConstruct builds every bot from its spec's defaults (with
// the required parameters set), as the runtime does after the compiler
// filled them in.
func TestDefaultsConstruct(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	required := map[string]any{"url": "https://example.com/feed.csv", "path": t.TempDir(),
		"file": t.TempDir() + "/events.txt", "redis_queue": "events"}
	for _, spec := range r.Specs() {
		p := botapi.MapParams{}
		for _, param := range spec.Params {
			switch {
			case param.Required:
				p[param.Name] = required[param.Name]
			case param.Default != nil:
				p[param.Name] = param.Default
			}
		}
		bot, err := r.Constructor(spec.ID)(&botapi.Context{ID: "x"}, p)
		if err != nil {
			t.Errorf("%s: %v", spec.ID, err)
			continue
		}
		if v, ok := bot.(botapi.Validator); ok {
			if err := v.Validate(); err != nil {
				t.Errorf("%s: Validate: %v", spec.ID, err)
			}
		}
		_, collector := bot.(botapi.Collector)
		_, processor := bot.(botapi.Processor)
		if collector == processor {
			t.Errorf("%s must be exactly one of Collector and Processor", spec.ID)
		}
	}
}
