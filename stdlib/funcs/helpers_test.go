// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"errors"
	"strings"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/google/go-cmp/cmp"
)

// exprCase is one expression run through expr-lang with the catalogue.
type exprCase struct {
	src  string
	want any
	// err, when set, is a text the error must contain; the error must then
	// also wrap ErrArgument unless compileErr is set.
	err        string
	compileErr bool
}

// testEnv returns the variables the expressions of the tests see.
func testEnv() map[string]any {
	return map[string]any{
		"s":     "hello",
		"n":     7,
		"f":     2.5,
		"b":     true,
		"empty": "",
		// rec is a decoded JSON record: its members have the static type any,
		// and a missing member is nil at run time.
		"rec": map[string]any{
			"ip":     "192.0.2.1",
			"url":    "hxxp://evil[.]example[.]com/x",
			"epoch":  1580000000.0,
			"millis": 1580000000123.0,
			"num":    3.0,
			"str":    "text",
			"list":   []any{"a", "b"},
			"obj":    map[string]any{"a": map[string]any{"b": []any{1, map[string]any{"c": "deep"}}}},
			"json":   `{"a": {"b": [1, {"c": "deep"}]}, "n": 12, "f": 1.5}`,
		},
		"table":   map[string]any{"bot": "infected-system", "scan": "scanner", "3": "three"},
		"strings": map[string]string{"bot": "infected-system"},
	}
}

// runExpr compiles src with the catalogue options and runs it.
func runExpr(src string, env map[string]any) (any, error) {
	opts := append([]expr.Option{expr.Env(env)}, Options()...)
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, &compileError{err}
	}
	return expr.Run(prog, env)
}

// compileError marks an error of expr.Compile.
type compileError struct{ err error }

func (e *compileError) Error() string { return "compile: " + e.err.Error() }
func (e *compileError) Unwrap() error { return e.err }

// runCases runs the cases, each as a subtest named after its expression.
func runCases(t *testing.T, cases []exprCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.src, func(t *testing.T) {
			got, err := runExpr(tc.src, testEnv())
			if tc.err == "" {
				if err != nil {
					t.Fatalf("%s: unexpected error: %v", tc.src, err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("%s: result mismatch (-want +got):\n%s", tc.src, diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("%s = %#v, want an error containing %q", tc.src, got, tc.err)
			}
			if !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %q does not contain %q", tc.src, err, tc.err)
			}
			var ce *compileError
			if isCompile := errors.As(err, &ce); isCompile != tc.compileErr {
				t.Errorf("%s: compile error %v, want %v: %v", tc.src, isCompile, tc.compileErr, err)
			}
			if !tc.compileErr && !errors.Is(err, ErrArgument) {
				t.Errorf("%s: error %v does not wrap ErrArgument", tc.src, err)
			}
		})
	}
}
