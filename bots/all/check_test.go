// SPDX-License-Identifier: AGPL-3.0-or-later

package all

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// edgeValues are values of each parameter type that a careless check may
// not expect: empty, negative, huge, a regular expression or a template
// that does not parse, a placeholder, a NUL byte.
var edgeValues = map[botapi.ParamType][]any{
	botapi.TypeString: {"", " ", "(", "[", "{", "}", "{{ x }}", "{time[%", "\x00", "-1", "ftp://", "http://",
		"https://[::1", "%zz", "a,b,,", ";", "*", "../../x"},
	botapi.TypeInt:        {int64(-1), int64(0), int64(1) << 62},
	botapi.TypeFloat:      {-1.0, 0.0, 1e308},
	botapi.TypeBool:       {true, false},
	botapi.TypeDuration:   {time.Duration(-1), time.Duration(0), time.Duration(1) << 62},
	botapi.TypeStringList: {[]string{}, []string{""}, []string{"(", "["}, []string{"{{ x }}"}},
	botapi.TypeStringMap:  {map[string]string{}, map[string]string{"": ""}, map[string]string{"a": "("}},
}

// TestChecksNeverPanic builds every bundled bot as "intelmq validate" does
// (compiler.checkBot: the Constructor, then Validate, never Start) with
// each parameter in turn set to each edge value of its type, the others
// at their defaults or, when required, a plain value: a bot may refuse
// any of them, but never panic, since the compiler would then have to
// report a bug instead of the user's mistake.
func TestChecksNeverPanic(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	plain := map[botapi.ParamType]any{
		botapi.TypeString: "https://example.org/x", botapi.TypeInt: int64(1), botapi.TypeFloat: 1.0,
		botapi.TypeBool: false, botapi.TypeDuration: time.Minute, botapi.TypeStringList: []string{"a"},
		botapi.TypeStringMap: map[string]string{"a": "b"},
	}
	cases := 0
	for _, id := range r.IDs(0) {
		spec, _ := r.Lookup(id)
		ctor := r.Constructor(id)
		base := botapi.MapParams{}
		for _, p := range spec.Params {
			switch {
			case p.Default != nil:
				base[p.Name] = p.Default
			case p.Required && p.Enum != nil:
				base[p.Name] = p.Enum[0]
			case p.Required:
				base[p.Name] = plain[p.Type]
			}
		}
		for _, p := range spec.Params {
			values := edgeValues[p.Type]
			if p.Enum != nil {
				values = nil
				for _, e := range p.Enum {
					values = append(values, e)
				}
			}
			for _, v := range values {
				params := botapi.MapParams{}
				for k, bv := range base {
					params[k] = bv
				}
				params[p.Name] = v
				cases++
				if msg := buildAndValidate(spec, ctor, params); msg != "" {
					t.Errorf("%s with %s = %#v: %s", id, p.Name, v, msg)
				}
			}
		}
	}
	t.Logf("%d cases", cases)
	if cases < 500 {
		t.Errorf("only %d cases", cases)
	}
}

// buildAndValidate runs botapi.Check as the compiler does and returns the
// panic, if any, as text.
func buildAndValidate(spec *botapi.Spec, ctor botapi.Constructor, params botapi.Params) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("panic: %v", r)
		}
	}()
	feed := &botapi.Feed{Name: "Feed", Provider: "Provider", Accuracy: 100}
	bc := &botapi.Context{ID: "bot", Schema: harmonization.Default()}
	if spec.Kind == botapi.KindCollector {
		bc.Feed = feed
	}
	_ = botapi.Check(ctor, bc, params) // refusing is allowed, panicking is not
	return ""
}

// TestFieldNameParams checks the parameters that name harmonization
// fields: a field is accepted, a misspelt one refused with the parameter's
// name and the closest field, since it would otherwise match nothing (a
// deduplicator whitelisting only a misspelt key drops every event after
// the first as a duplicate).
func TestFieldNameParams(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		bot, param string
		good, bad  any
	}{
		{"expert.deduplicator", "filter_keys", []string{"raw", "source.ip", "extra.count"}, []string{"raw", "source.ipp"}},
		{"expert.url", "skip_fields", []string{"source.port"}, []string{"source.prot"}},
		{"output.file", "single_key", "source.ip", "source.ipp"},
		{"output.stdout", "single_key", "output", "sorce.ip"},
	} {
		spec, ok := r.Lookup(tt.bot)
		if !ok {
			t.Fatalf("no bot %s", tt.bot)
		}
		params := func(v any) botapi.MapParams {
			p := botapi.MapParams{}
			for _, ps := range spec.Params {
				if ps.Default != nil {
					p[ps.Name] = ps.Default
				}
			}
			if tt.bot == "output.file" {
				p["file"] = "out.jsonl"
			}
			p[tt.param] = v
			return p
		}
		bc := &botapi.Context{ID: "x", Schema: harmonization.Default()}
		if err := botapi.Check(r.Constructor(tt.bot), bc, params(tt.good)); err != nil {
			t.Errorf("%s %s = %v: %v", tt.bot, tt.param, tt.good, err)
		}
		err := botapi.Check(r.Constructor(tt.bot), bc, params(tt.bad))
		var pe *botapi.ParamError
		if !errors.As(err, &pe) || pe.Name != tt.param || !strings.Contains(err.Error(), "did you mean") {
			t.Errorf("%s %s = %v: %v, want a refusal of %s with a suggestion", tt.bot, tt.param, tt.bad, err, tt.param)
		}
	}
}
