// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/expr-lang/expr"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// compileExpr compiles src against the typed environment of vars, as the
// compiler does.
func compileExpr(t testing.TB, src string, vars []plan.Var, consts []plan.Const, opts ...expr.Option) *plan.Expr {
	t.Helper()
	env := map[string]any{}
	for _, v := range vars {
		env[v.Name] = v.Type.Zero()
	}
	for _, c := range consts {
		env[c.Name] = c.Value
	}
	prog, err := expr.Compile(src, append([]expr.Option{expr.Env(env)}, opts...)...)
	if err != nil {
		t.Fatalf("compile %q: %v", src, err)
	}
	return &plan.Expr{Source: src, Program: prog, Origin: plan.Origin{File: "p.hcl", Line: 1, Column: 1}}
}

// stringVars returns one string variable per name.
func stringVars(names ...string) []plan.Var {
	vars := make([]plan.Var, len(names))
	for i, n := range names {
		vars[i] = plan.Var{Name: n, Type: plan.VarString}
	}
	return vars
}

// constant returns a plan constant with its value sanitized by the schema.
func constant(t testing.TB, field string, v harmonization.Value) plan.Constant {
	t.Helper()
	ev := message.NewEvent(nil)
	if err := ev.Add(field, v); err != nil {
		t.Fatalf("constant %s: %v", field, err)
	}
	got, _ := ev.Get(field)
	return plan.Constant{Field: field, Value: got}
}

// newReport returns a report with raw data and the given string fields.
func newReport(t testing.TB, raw string, fields map[string]string) *message.Message {
	t.Helper()
	r := message.NewReport(nil)
	if err := message.SetRawText(r, raw); err != nil {
		t.Fatal(err)
	}
	for k, v := range fields {
		if err := r.AddString(k, v); err != nil {
			t.Fatalf("report field %s: %v", k, err)
		}
	}
	return r
}

// result is what a Run gave, in comparable form.
type result struct {
	Events []map[string]any
	Bad    []badRec
	Stats  Stats
	Err    string
}

// badRec is a BadRecord in comparable form.
type badRec struct {
	Line   int
	Raw    string
	Prefix string
	Err    string
}

// run runs p over report and collects everything.
func run(t testing.TB, p *plan.Parser, report *message.Message) result {
	t.Helper()
	x, err := New(p)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var res result
	st, err := x.Run(context.Background(), report, func(ev *message.Message) error {
		res.Events = append(res.Events, eventMap(t, ev))
		return nil
	}, func(b BadRecord) {
		res.Bad = append(res.Bad, badRec{Line: b.Line, Raw: b.Raw, Prefix: b.Prefix, Err: b.Err.Error()})
	})
	res.Stats = st
	if err != nil {
		res.Err = err.Error()
	}
	return res
}

// eventMap returns an event as IntelMQ's to_dict (flat keys, JSON values).
func eventMap(t testing.TB, ev *message.Message) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ev.AppendJSON(nil), &m); err != nil {
		t.Fatalf("event JSON: %v", err)
	}
	return m
}
