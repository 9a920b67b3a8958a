// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import (
	"errors"
	"testing"
	"time"
)

func TestSpecValidate(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		ok   bool
	}{
		{"plain", Spec{ID: "expert.taxonomy", Kind: KindExpert}, true},
		{"nested", Spec{ID: "output.sql.postgres", Kind: KindOutput}, true},
		{"params", Spec{ID: "collector.http", Kind: KindCollector, Params: []Param{
			{Name: "url", Type: TypeString, Required: true},
			{Name: "interval", Type: TypeDuration, Default: time.Hour},
			{Name: "headers", Type: TypeStringMap, Default: map[string]string{}},
		}}, true},
		{"no namespace", Spec{ID: "taxonomy", Kind: KindExpert}, false},
		{"upper case", Spec{ID: "expert.Taxonomy", Kind: KindExpert}, false},
		{"unknown namespace", Spec{ID: "thing.taxonomy", Kind: KindExpert}, false},
		{"kind mismatch", Spec{ID: "output.taxonomy", Kind: KindExpert}, false},
		{"no kind", Spec{ID: "expert.taxonomy"}, false},
		{"bad param name", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "Bad-Name", Type: TypeString}}}, false},
		{"no param type", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "a"}}}, false},
		{"duplicate param", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "a", Type: TypeBool}, {Name: "a", Type: TypeBool}}}, false},
		{"default of wrong type", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "n", Type: TypeInt, Default: 3}}}, false},
		{"required with default", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "n", Type: TypeInt, Required: true, Default: int64(3)}}}, false},
		{"negative duration", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "offset", Type: TypeDuration, Negative: true}}}, true},
		{"enum", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "mode", Type: TypeString, Enum: []string{"a", "b"}, Default: "b"}}}, true},
		{"enum default not allowed", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "mode", Type: TypeString, Enum: []string{"a", "b"}, Default: "c"}}}, false},
		{"enum on an int", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "n", Type: TypeInt, Enum: []string{"1"}}}}, false},
		{"negative int", Spec{ID: "expert.x", Kind: KindExpert, Params: []Param{{Name: "n", Type: TypeInt, Negative: true}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%t", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidSpec) {
				t.Errorf("error %v does not wrap ErrInvalidSpec", err)
			}
		})
	}
}

func TestParamTypeAccepts(t *testing.T) {
	values := map[ParamType]any{
		TypeString: "x", TypeInt: int64(1), TypeFloat: 1.5, TypeBool: true,
		TypeDuration: time.Second, TypeStringList: []string{"a"}, TypeStringMap: map[string]string{"a": "b"},
	}
	for typ := range values {
		for vt, v := range values {
			if got := typ.Accepts(v); got != (typ == vt) {
				t.Errorf("%s.Accepts(%T) = %t", typ, v, got)
			}
		}
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	tax := Spec{ID: "expert.taxonomy", Kind: KindExpert}
	if err := r.Register(tax, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Register(tax, nil); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("second Register = %v, want ErrDuplicateID", err)
	}
	if err := r.Register(Spec{ID: "bad id", Kind: KindExpert}, nil); !errors.Is(err, ErrInvalidSpec) {
		t.Errorf("Register(bad id) = %v, want ErrInvalidSpec", err)
	}
	if err := r.Register(Spec{ID: "output.file", Kind: KindOutput, Params: []Param{{Name: "file", Type: TypeString, Required: true}}}, nil); err != nil {
		t.Fatal(err)
	}
	if s, ok := r.Lookup("output.file"); !ok || s.Param("file") == nil || s.Param("nope") != nil || s.Name() != "file" {
		t.Errorf("Lookup(output.file) = %+v, %t", s, ok)
	}
	if _, ok := r.Lookup("output.nope"); ok {
		t.Error("Lookup of an unknown id succeeded")
	}
	if got := r.IDs(KindExpert); len(got) != 1 || got[0] != "expert.taxonomy" {
		t.Errorf("IDs(expert) = %v", got)
	}
	if got := r.Specs(); len(got) != 2 || got[0].ID != "expert.taxonomy" || got[1].ID != "output.file" {
		t.Errorf("Specs() not sorted: %v", got)
	}
	if k, ok := ParseKind("output"); !ok || k != KindOutput {
		t.Errorf("ParseKind(output) = %v, %t", k, ok)
	}
}
