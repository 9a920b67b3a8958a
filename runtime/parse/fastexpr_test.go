// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

func TestFastShape(t *testing.T) {
	vars := append(stringVars("a", "b"), plan.Var{Name: "line", Type: plan.VarString},
		plan.Var{Name: "record", Type: plan.VarStringMap})
	consts := []plan.Const{{Name: "k", Type: plan.VarString, Value: "K"}}
	x, err := New(&plan.Parser{Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{}}, Vars: vars, Consts: consts})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		src    string
		op     fastOp // 0: no fast shape
		v, c   string
		prefix bool
	}{
		{src: "a + ' UTC'", op: fastConcat, v: "a", c: " UTC"},
		{src: "'http://' + b", op: fastConcat, v: "b", c: "http://", prefix: true},
		{src: "line + '\\n'", op: fastConcat, v: "line", c: "\n"},
		{src: "lower(a)", op: fastLower, v: "a"},
		{src: "upper(b)", op: fastUpper, v: "b"},
		{src: "int(a)", op: fastInt, v: "a"},
		{src: "a"},
		{src: "a + b"},
		{src: "a + k"},
		{src: "k + 'x'"},
		{src: "lower(k)"},
		{src: "trim(a)"},
		{src: "float(a)"},
		{src: "lower(a) + 'x'"},
		{src: "lower(a + 'x')"},
		{src: "record.a + 'x'"},
		{src: "'x' + 'y'"},
	}
	for _, tt := range tests {
		f, ok := fastShape(compileExpr(t, tt.src, vars, consts), x.byName)
		switch {
		case ok != (tt.op != 0):
			t.Errorf("%s: fast shape %v, want %v", tt.src, ok, tt.op != 0)
		case ok && (f.op != tt.op || f.v.name != tt.v || f.c != tt.c || f.prefix != tt.prefix):
			t.Errorf("%s: got op %d on %q with %q (prefix %v)", tt.src, f.op, f.v.name, f.c, f.prefix)
		}
	}
}

// fastAndSlow runs p with and without the fast shapes and checks that
// both give the same events, bad records and errors.
func fastAndSlow(t *testing.T, p *plan.Parser, report *message.Message) result {
	t.Helper()
	var results [2]result
	for i, fast := range []bool{true, false} {
		x, err := newExecutor(p, fast)
		if err != nil {
			t.Fatal(err)
		}
		res := &results[i]
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
	}
	if diff := cmp.Diff(results[1], results[0]); diff != "" {
		t.Errorf("fast shapes change the result (-VM +fast):\n%s", diff)
	}
	return results[0]
}

func TestFastShapesMatchVM(t *testing.T) {
	vars := append(stringVars("ts", "port", "name", "host"), plan.Var{Name: "line", Type: plan.VarString})
	m := func(field, src string) *plan.Mapping {
		return &plan.Mapping{Fields: []string{field}, Value: compileExpr(t, src, vars, nil), Required: true,
			Origin: plan.Origin{File: "p.hcl", Line: 2, Column: 3}}
	}
	p := &plan.Parser{
		Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ',', Quote: '"',
			Columns: []string{"ts", "port", "name", "host"}}},
		Vars: vars,
		Map: []*plan.Mapping{
			m("time.source", "ts + ' UTC'"),
			m("source.port", "int(port)"),
			m("malware.name", "lower(name)"),
			m("source.url", "'http://' + host"),
			m("extra.name", "upper(name)"),
			m("extra.line", "line + '!'"),
			{Fields: []string{"comment"}, Value: compileExpr(t, "name", vars, nil)},
		},
	}
	raw := "2021-01-17 07:44:46,443,Dridex,example.com\n" +
		"2021-01-17 07:44:46,+80,ÄÖÜ Straße,example.org/a\n" + // Unicode case mapping; Atoi accepts "+80"
		"2021-01-17 07:44:46,x80,Emotet,example.net\n" + // int fails: the VM's error
		"2021-01-17 07:44:46,99999999,Emotet,example.net\n" + // a port out of range
		"bogus,443,Emotet,example.net\n" + // an invalid time
		"2021-01-18 00:00:00,443,-,example.net\n" + // "-" is ignored
		"2021-01-18 00:00:00,443,,example.net\n" +
		"2021-01-18 00:00:00,443\n" + // missing columns read as ""
		"2021-01-17 07:44:46,443,DRIDEX,example.com\n" // a case conversion from the cache
	res := fastAndSlow(t, p, newReport(t, raw, nil))
	if res.Stats.Events != 4 || res.Stats.Bad != 5 {
		t.Errorf("stats = %+v, want 4 events and 5 bad records; %+v", res.Stats, res.Bad)
	}
	if got := res.Events[3]["malware.name"]; got != "dridex" {
		t.Errorf("malware.name of the last record = %v", got)
	}
}

func TestDirectJSONMatchesVM(t *testing.T) {
	vars := []plan.Var{{Name: "a"}, {Name: "n"}}
	p := &plan.Parser{
		Input: plan.Input{Format: plan.FormatJSONLines, JSON: &plan.JSONInput{}},
		Vars:  vars,
		Map: []*plan.Mapping{
			{Fields: []string{"source.port"}, Value: compileExpr(t, "n", vars, nil), Required: true},
			{Fields: []string{"comment"}, Value: compileExpr(t, "a", vars, nil)},
		},
	}
	if x, _ := New(p); x.maps[0].direct == nil || x.maps[1].direct == nil {
		t.Fatal("the mappings are not direct")
	}
	raw := `{"a": "host", "n": "443"}` + "\n" +
		`{"a": 7, "n": 443}` + "\n" + // numbers
		`{"a": [1], "n": 8080.0}` + "\n" + // a list, an integral float
		`{"a": "h", "n": "x"}` + "\n" + // not a port
		`{"a": "h", "n": null}` + "\n" // null is ignored, even when required
	res := fastAndSlow(t, p, newReport(t, raw, nil))
	if res.Stats.Events != 4 || res.Stats.Bad != 1 {
		t.Errorf("stats = %+v, want 4 events and 1 bad record; %+v", res.Stats, res.Bad)
	}
}

func TestCaseCache(t *testing.T) {
	var c caseCache
	calls := 0
	upper := func(s string) string {
		calls++
		b := []byte(s)
		for i, ch := range b {
			if 'a' <= ch && ch <= 'z' {
				b[i] = ch - 'a' + 'A'
			}
		}
		return string(b)
	}
	for range 3 {
		if got := c.of("abc", upper); got != "ABC" {
			t.Fatalf("of(abc) = %q", got)
		}
	}
	if calls != 1 {
		t.Errorf("converted %d times, want once", calls)
	}
	long := string(make([]byte, caseCacheMaxLen+1))
	c.of(long, upper)
	c.of(long, upper)
	if calls != 3 || len(c.m) != 1 {
		t.Errorf("a long value is cached: %d calls, %d entries", calls, len(c.m))
	}
	for i := range caseCacheSize + 10 {
		c.of(string(rune('a'+i%26))+string(rune(i)), upper)
	}
	if len(c.m) > caseCacheSize {
		t.Errorf("the cache holds %d entries, more than %d", len(c.m), caseCacheSize)
	}
}

// runLent is run with RunLent: each event is read as emit gets it.
func runLent(t testing.TB, p *plan.Parser, report *message.Message) (result, int) {
	t.Helper()
	x, err := New(p)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var res result
	distinct := map[*message.Message]bool{}
	st, err := x.RunLent(context.Background(), report, func(ev *message.Message) error {
		distinct[ev] = true
		res.Events = append(res.Events, eventMap(t, ev))
		return nil
	}, func(b BadRecord) {
		res.Bad = append(res.Bad, badRec{Line: b.Line, Raw: b.Raw, Prefix: b.Prefix, Err: b.Err.Error()})
	})
	res.Stats = st
	if err != nil {
		res.Err = err.Error()
	}
	return res, len(distinct)
}

func TestRunLent(t *testing.T) {
	vars := stringVars("ip", "ports", "item")
	e := func(src string) *plan.Expr { return compileExpr(t, src, vars, nil) }
	each := &plan.Parser{
		Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ',', Quote: '"', Columns: []string{"ip", "ports"}}},
		Vars:  vars,
		Set:   []plan.Constant{constant(t, "classification.type", harmonization.String("scanner"))},
		Map:   []*plan.Mapping{{Fields: []string{"source.ip"}, Value: e("ip"), Required: true}},
		Each: []*plan.Each{{
			List: compileExpr(t, "split(ports, ';')", vars, nil),
			Map:  []*plan.Mapping{{Fields: []string{"source.port"}, Value: e("int(item)"), Required: true}},
		}},
	}
	// A constant the report's fields already set: every record fails.
	clash := &plan.Parser{
		Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ',', Quote: '"', Columns: []string{"ip", "ports"}}},
		Vars:  vars,
		Set:   []plan.Constant{constant(t, "feed.name", harmonization.String("mine"))},
		Map:   []*plan.Mapping{{Fields: []string{"source.ip"}, Value: e("ip"), Required: true}},
	}
	feodo := "# Feodo\n2021-01-17 07:44:46,51.178.161.32,4643,online,2024-01-01,Dridex\n" +
		"2021-01-17 07:44:47,bogus,4643,online,2024-01-01,Dridex\n" +
		"2021-01-18 07:44:46,51.178.161.33,443,offline,,Emotet\n" +
		"2021-01-19 07:44:46,51.178.161.34,447,offline,,QakBot\n"
	ports := "192.0.2.1,22;80;443\n192.0.2.2,22;x\n192.0.2.3,8080\n192.0.2.4,1;2\n"
	tests := []struct {
		name           string
		p              *plan.Parser
		raw            string
		events, reused int // events, and distinct messages emit is lent
	}{
		{"feodo", feodoParser(t), feodo, 3, 1},
		{"each", each, ports, 6, 3},
		{"clash", clash, ports, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report := newReport(t, tt.raw, feodoReportFields)
			want := run(t, tt.p, report)
			got, distinct := runLent(t, tt.p, report)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("RunLent differs from Run (-Run +RunLent):\n%s", diff)
			}
			if got.Stats.Events != tt.events || distinct != tt.reused {
				t.Errorf("%d events in %d messages, want %d in %d", got.Stats.Events, distinct, tt.events, tt.reused)
			}
			if tt.name == "clash" && (len(got.Bad) != 4 || got.Bad[0].Err != `set "feed.name" at : key "feed.name" already exists`) {
				t.Errorf("bad records: %+v", got.Bad)
			}
		})
	}
}

// TestRunLentAcrossReports runs one executor over reports with different
// templates in turn, lent, and checks each against Run: the pooled events
// are cut back to the template only when it is the one they were made
// from, and an overwriting mapping makes them compared and copied.
func TestRunLentAcrossReports(t *testing.T) {
	// feed.name overwritten by last_online where it is not empty: the
	// records after the first must not keep its value.
	overwrite := feodoParser(t)
	overwrite.Map = append(overwrite.Map, &plan.Mapping{Fields: []string{"feed.name"},
		Value: compileExpr(t, "last_online", overwrite.Vars, nil), Overwrite: true})
	feodo := "# Feodo\n2021-01-17 07:44:46,51.178.161.32,4643,online,2024-01-01,Dridex\n" +
		"2021-01-17 07:44:47,bogus,4643,online,2024-01-01,Dridex\n" +
		"2021-01-18 07:44:46,51.178.161.33,443,offline,,Emotet\n"
	other := map[string]string{"feed.name": "Other", "feed.accuracy": "50", "time.observation": "2024-05-06T07:08:09+00:00"}
	for _, p := range []*plan.Parser{feodoParser(t), overwrite} {
		x, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		if x.addsOnly == (p == overwrite) {
			t.Fatalf("addsOnly = %v with overwrite %v", x.addsOnly, p == overwrite)
		}
		for i, fields := range []map[string]string{feodoReportFields, other, feodoReportFields, other} {
			report := newReport(t, feodo, fields)
			want := run(t, p, report)
			var got []map[string]any
			if _, err := x.RunLent(context.Background(), report, func(ev *message.Message) error {
				got = append(got, eventMap(t, ev))
				return nil
			}, nil); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Events, got); diff != "" {
				t.Errorf("report %d: RunLent differs from Run (-Run +RunLent):\n%s", i, diff)
			}
		}
	}
}
