// SPDX-License-Identifier: AGPL-3.0-or-later

package all

import (
	"fmt"
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
