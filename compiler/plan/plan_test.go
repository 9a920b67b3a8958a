// SPDX-License-Identifier: AGPL-3.0-or-later

package plan

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOrigin(t *testing.T) {
	if got := (Origin{File: "a.hcl", Line: 3, Column: 7}).String(); got != "a.hcl:3:7" {
		t.Errorf("Origin.String() = %q", got)
	}
	if got := (Origin{}).String(); got != "" {
		t.Errorf("zero Origin.String() = %q", got)
	}
}

func TestParams(t *testing.T) {
	p := Params{
		"s": "x", "i": int64(3), "f": 1.5, "b": true, "d": 90 * time.Second,
		"l": []string{"a", "b"}, "m": map[string]string{"z": "1", "a": "2"},
	}
	if p.String("s") != "x" || p.Int("i") != 3 || p.Float("f") != 1.5 || !p.Bool("b") ||
		p.Duration("d") != 90*time.Second || len(p.List("l")) != 2 || p.Map("m")["a"] != "2" {
		t.Errorf("getters: %v", p)
	}
	if p.String("missing") != "" || p.Int("s") != 0 {
		t.Error("a missing or mistyped parameter must read as the zero value")
	}
	if diff := cmp.Diff([]string{"b", "d", "f", "i", "l", "m", "s"}, p.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	for name, want := range map[string]string{"d": `"1m30s"`, "l": `["a", "b"]`, "m": `{"a" = "2", "z" = "1"}`, "s": `"x"`, "b": "true"} {
		if got := p.Format(name); got != want {
			t.Errorf("Format(%s) = %s, want %s", name, got, want)
		}
	}
}

func TestNodePaths(t *testing.T) {
	out1 := &Node{ID: "a-output"}
	out2 := &Node{ID: "b-output"}
	n := &Node{ID: "main-x-expert", Out: []*Switch{{Cases: []*Case{
		{Path: "malware", To: []*Node{out1}},
		{Path: "_default", To: []*Node{out1, out2}},
		{Path: "junk"},
	}}}}
	want := map[string][]string{
		"malware":  {"a-output-queue"},
		"_default": {"a-output-queue", "b-output-queue"},
		"junk":     nil,
	}
	if diff := cmp.Diff(want, n.Paths()); diff != "" {
		t.Errorf("Paths (-want +got):\n%s", diff)
	}
	if n.Queue() != "main-x-expert-queue" || n.InternalQueue() != "main-x-expert-queue-internal" {
		t.Errorf("queues: %s %s", n.Queue(), n.InternalQueue())
	}
}

func TestDumpDeterministic(t *testing.T) {
	p := &Plan{
		Parsers: []*Parser{{
			Name:   "p",
			Input:  Input{Format: FormatLines, Lines: &LinesInput{Column: "value"}},
			Vars:   []Var{{Name: "value", Type: VarString}},
			Consts: []Const{{Name: "t", Type: VarMap, Value: map[string]any{"b": 1, "a": []any{"x", nil}}}},
		}},
		Bots: []*Bot{{Name: "o", Kind: KindOutput, Type: "output.file", Params: Params{"z": "1", "a": true}}},
	}
	var first string
	for i := 0; i < 20; i++ {
		var b strings.Builder
		if err := Dump(&b, p); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.String()
		} else if b.String() != first {
			t.Fatalf("Dump is not deterministic:\n%s\n---\n%s", first, b.String())
		}
	}
	for _, want := range []string{
		`input lines regex="" column="value"`,
		`let t map = {"a" = ["x", null], "b" = 1}`,
		"output o = output.file",
		"  a = true\n  z = \"1\"",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("dump lacks %q:\n%s", want, first)
		}
	}
}
