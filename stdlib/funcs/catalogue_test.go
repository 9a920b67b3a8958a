// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite docs/functions.md from the catalogue")

func TestCatalogueEntries(t *testing.T) {
	cat := Catalogue()
	if len(cat) == 0 {
		t.Fatal("empty catalogue")
	}
	builtins := builtinNames()
	nameRE := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	for i, f := range cat {
		if i > 0 && cat[i-1].Name >= f.Name {
			t.Errorf("catalogue not sorted or has duplicates: %q before %q", cat[i-1].Name, f.Name)
		}
		if !nameRE.MatchString(f.Name) {
			t.Errorf("%q is not a lowerCamel name", f.Name)
		}
		if slices.Contains(builtins, f.Name) {
			t.Errorf("%q clashes with an expr-lang builtin", f.Name)
		}
		if !strings.HasPrefix(f.Signature, f.Name+"(") || !strings.Contains(f.Signature, ") ") {
			t.Errorf("%s: signature %q does not read name(params) result", f.Name, f.Signature)
		}
		if f.Doc == "" || !strings.HasSuffix(f.Doc, ".") || f.Doc[0] < 'A' || f.Doc[0] > 'Z' {
			t.Errorf("%s: doc %q is not a full sentence", f.Name, f.Doc)
		}
		if f.Fn == nil {
			t.Errorf("%s: no implementation", f.Name)
		}
		if len(f.Types) == 0 {
			t.Errorf("%s: no type hints", f.Name)
		}
		for _, ty := range f.Types {
			rt := reflect.TypeOf(ty)
			if rt.Kind() != reflect.Pointer || rt.Elem().Kind() != reflect.Func || rt.Elem().NumOut() != 1 {
				t.Errorf("%s: type hint %v is not a pointer to a function with one result", f.Name, rt)
			}
		}
	}
}

func TestOptionsCompile(t *testing.T) {
	// expr.Function panics on type hints it does not accept, and the checker
	// must find every overload when called with arguments of its types.
	for _, f := range Catalogue() {
		for _, hint := range f.Types {
			ft := reflect.TypeOf(hint).Elem()
			t.Run(f.Name+" "+ft.String(), func(t *testing.T) {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("expr rejected the options: %v", r)
					}
				}()
				env := map[string]any{}
				var args []string
				for i := range ft.NumIn() {
					pt := ft.In(i)
					if ft.IsVariadic() && i == ft.NumIn()-1 {
						pt = pt.Elem()
					}
					name := fmt.Sprintf("a%d", i)
					env[name] = sampleOf(pt)
					args = append(args, name)
				}
				src := f.Name + "(" + strings.Join(args, ", ") + ")"
				opts := append([]expr.Option{expr.Env(env)}, Options()...)
				if _, err := expr.Compile(src, opts...); err != nil {
					t.Fatalf("%s with %v: %v", src, env, err)
				}
			})
		}
	}
}

// sampleOf returns a value of type t, a string for interface types.
func sampleOf(t reflect.Type) any {
	switch t.Kind() {
	case reflect.Interface:
		return "x"
	case reflect.Map:
		return reflect.MakeMap(t).Interface()
	}
	return reflect.Zero(t).Interface()
}

func TestFunctionsNeverPanic(t *testing.T) {
	values := []any{nil, "", "x", "2020-03-04", "http://[::1", 0, -1, 1 << 62, 2.5, -1e300, true,
		[]any{"a"}, map[string]any{"a": 1}, map[string]string{}, []string{"s"}, struct{}{}}
	for _, f := range Catalogue() {
		for n := 0; n <= 4; n++ {
			for _, args := range argLists(values, n) {
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("%s%v panicked: %v", f.Name, args, r)
						}
					}()
					_, _ = f.Fn(args...)
				}()
			}
		}
	}
}

// argLists returns argument lists of length n over values (all of them for
// n <= 2, a diagonal sample above).
func argLists(values []any, n int) [][]any {
	if n == 0 {
		return [][]any{nil}
	}
	var out [][]any
	if n <= 2 {
		for _, rest := range argLists(values, n-1) {
			for _, v := range values {
				out = append(out, append(slices.Clone(rest), v))
			}
		}
		return out
	}
	for i := range values {
		args := make([]any, n)
		for j := range args {
			args[j] = values[(i+j)%len(values)]
		}
		out = append(out, args)
	}
	return out
}

func TestMarkdownUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "functions.md")
	got := Markdown()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./stdlib/funcs -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s is out of date; run go test ./stdlib/funcs -update (-file +catalogue):\n%s", path, diff)
	}
	for _, f := range Catalogue() {
		if !strings.Contains(got, "### "+f.Name+"\n") {
			t.Errorf("Markdown lacks a section for %s", f.Name)
		}
	}
}
