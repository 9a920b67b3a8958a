// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// typeCase is one row of a type's table: the input, whether Validate accepts
// it unsanitized, and what Sanitize returns (fails for an error).
type typeCase struct {
	in    Value
	valid bool
	out   Value
	fails bool
}

// ok builds a case whose Sanitize returns out.
func ok(in Value, valid bool, out Value) typeCase { return typeCase{in: in, valid: valid, out: out} }

// bad builds a case whose Sanitize fails.
func bad(in Value, valid bool) typeCase { return typeCase{in: in, valid: valid, fails: true} }

// S is short for String in the tables.
func S(s string) Value { return String(s) }

// mustType returns the named type.
func mustType(t *testing.T, name string) Type {
	t.Helper()
	typ, found := TypeByName(name)
	if !found {
		t.Fatalf("TypeByName(%q) not found", name)
	}
	return typ
}

var valueCmp = cmp.Comparer(func(a, b Value) bool { return a.Equal(b) })

// runTypeCases checks every row against the named type.
func runTypeCases(t *testing.T, name string, cases []typeCase) {
	t.Helper()
	typ := mustType(t, name)
	if typ.Name() != name {
		t.Errorf("Name() = %q, want %q", typ.Name(), name)
	}
	for _, c := range cases {
		if got := typ.Validate(c.in); got != c.valid {
			t.Errorf("%s.Validate(%s %s) = %v, want %v", name, c.in.Kind(), PyRepr(c.in), got, c.valid)
		}
		got, err := typ.Sanitize(c.in)
		switch {
		case c.fails && err == nil:
			t.Errorf("%s.Sanitize(%s %s) = %s %s, want an error", name, c.in.Kind(), PyRepr(c.in), got.Kind(), PyRepr(got))
		case !c.fails && err != nil:
			t.Errorf("%s.Sanitize(%s %s) failed: %v", name, c.in.Kind(), PyRepr(c.in), err)
		case !c.fails:
			if diff := cmp.Diff(c.out, got, valueCmp); diff != "" {
				t.Errorf("%s.Sanitize(%s %s) = %s %s, want %s %s", name, c.in.Kind(), PyRepr(c.in),
					got.Kind(), PyRepr(got), c.out.Kind(), PyRepr(c.out))
			}
		}
	}
}
