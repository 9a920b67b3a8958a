// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

var feodoColumns = []string{"first_seen", "dst_ip", "dst_port", "c2_status", "last_online", "malware"}

// feodoParser is the DESIGN.md example parser for abuse.ch's Feodo Tracker
// CSV, as the compiler lowers it.
func feodoParser(t testing.TB) *plan.Parser {
	vars := append(stringVars(feodoColumns...), plan.Var{Name: "line", Type: plan.VarString},
		plan.Var{Name: "report", Type: plan.VarMap})
	m := func(field, src string) *plan.Mapping {
		return &plan.Mapping{Fields: []string{field}, Value: compileExpr(t, src, vars, nil), Required: true,
			Origin: plan.Origin{File: "feodo.hcl", Line: 9, Column: 5}}
	}
	return &plan.Parser{
		Name: "feodotracker",
		Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{
			Delimiter: ',', Quote: '"', Comment: []string{"#"}, Columns: feodoColumns}},
		Vars: vars,
		Set:  []plan.Constant{constant(t, "classification.type", harmonization.String("c2-server"))},
		Map: []*plan.Mapping{
			m("time.source", "first_seen + ' UTC'"),
			m("source.ip", "dst_ip"),
			m("source.port", "int(dst_port)"),
			m("malware.name", "lower(malware)"),
			m("extra.status", "c2_status"),
		},
	}
}

var feodoReportFields = map[string]string{
	"feed.name": "Feodo Tracker", "feed.provider": "abuse.ch",
	"feed.url":         "https://feodotracker.abuse.ch/downloads/ipblocklist.csv",
	"time.observation": "2024-01-02T03:04:05+00:00",
}

func TestRunFeodo(t *testing.T) {
	raw := "################\n# Feodo Tracker\n################\n" +
		"2021-01-17 07:44:46,51.178.161.32,4643,online,2024-01-01,Dridex\r\n" +
		"2021-01-17 07:44:47,bogus,4643,online,2024-01-01,Dridex\n" +
		"2021-01-18 07:44:46,51.178.161.33,99999999,offline,,Emotet\n" +
		"2021-01-19 07:44:46,51.178.161.34,\"443\",offline,,\"Qak,Bot\""
	res := run(t, feodoParser(t), newReport(t, raw, feodoReportFields))
	if res.Err != "" {
		t.Fatal(res.Err)
	}
	event := func(ts, ip string, port float64, name, status, line string) map[string]any {
		return map[string]any{
			"feed.name": "Feodo Tracker", "feed.provider": "abuse.ch",
			"feed.url":            "https://feodotracker.abuse.ch/downloads/ipblocklist.csv",
			"time.observation":    "2024-01-02T03:04:05+00:00",
			"classification.type": "c2-server", "time.source": ts, "source.ip": ip, "source.port": port,
			"malware.name": name, "extra.status": status, "raw": b64(line),
		}
	}
	want := []map[string]any{
		event("2021-01-17T07:44:46+00:00", "51.178.161.32", 4643, "dridex", "online",
			"2021-01-17 07:44:46,51.178.161.32,4643,online,2024-01-01,Dridex"),
		event("2021-01-19T07:44:46+00:00", "51.178.161.34", 443, "qak,bot", "offline",
			"2021-01-19 07:44:46,51.178.161.34,\"443\",offline,,\"Qak,Bot\""),
	}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(res.Bad) != 2 {
		t.Fatalf("bad records: %+v", res.Bad)
	}
	for i, want := range []struct {
		line int
		raw  string
		err  string
	}{
		{5, "2021-01-17 07:44:47,bogus,4643,online,2024-01-01,Dridex", `map "source.ip" at feodo.hcl:9:5: invalid value "bogus"`},
		{6, "2021-01-18 07:44:46,51.178.161.33,99999999,offline,,Emotet", `map "source.port" at feodo.hcl:9:5: invalid value "99999999"`},
	} {
		b := res.Bad[i]
		if b.Line != want.line || b.Raw != want.raw || !strings.HasPrefix(b.Err, want.err) {
			t.Errorf("bad record %d = %+v, want line %d, raw %q, error starting %q", i, b, want.line, want.raw, want.err)
		}
	}
	if want := (Stats{Records: 4, Events: 2, Bad: 2}); res.Stats != want {
		t.Errorf("stats = %+v, want %+v", res.Stats, want)
	}
}

func TestRunExpressionError(t *testing.T) {
	vars := stringVars("a")
	p := &plan.Parser{
		Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ',', Quote: '"', Columns: []string{"a"}}},
		Vars:  vars,
		Map: []*plan.Mapping{{Fields: []string{"source.port"}, Value: compileExpr(t, "int(a)", vars, nil),
			Required: true, Origin: plan.Origin{File: "p.hcl", Line: 3, Column: 7}}},
	}
	res := run(t, p, newReport(t, "80\nx\n", nil))
	if len(res.Events) != 1 || len(res.Bad) != 1 {
		t.Fatalf("got %+v", res)
	}
	want := `map "source.port": expression "int(a)" at p.hcl:1:1: invalid operation: int(x)`
	if res.Bad[0].Err != want || res.Bad[0].Line != 2 {
		t.Errorf("bad record = %+v, want line 2 and error %q", res.Bad[0], want)
	}
	if strings.Contains(res.Bad[0].Err, "\n") {
		t.Errorf("the error spans lines: %q", res.Bad[0].Err)
	}
}

func TestRunGenericCSVSemantics(t *testing.T) {
	cols := []string{"ip", "url", "type", "asn", "time", "tags", "fqdn"}
	vars := stringVars(cols...)
	col := func(fields []string, c string, required bool) *plan.Mapping {
		return &plan.Mapping{Fields: fields, Value: compileExpr(t, c, vars, nil), Required: required}
	}
	asn := col([]string{"source.asn"}, "asn", true)
	asn.Extract = regexp.MustCompile(`[0-9]+`)
	tags := col([]string{"extra.tags"}, "tags", false)
	tags.DecodeJSON = true
	p := &plan.Parser{
		Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ',', Quote: '"', Columns: cols,
			SkipLines: 1, Comment: []string{"#"}}},
		Vars: vars,
		Map: []*plan.Mapping{
			col([]string{"source.ip", "source.network"}, "ip", true),
			col([]string{"source.url"}, "url", true),
			col([]string{"classification.type"}, "type", true),
			asn,
			col([]string{"time.source"}, "time", true),
			tags,
			col([]string{"source.fqdn"}, "fqdn", false),
		},
		DefaultFields: []plan.Constant{
			constant(t, "classification.type", harmonization.String("blacklist")),
			constant(t, "feed.name", harmonization.String("default name")),
		},
		Convert: plan.Conversions{TimeFormat: "epoch_millis", DefaultURLProtocol: "http://",
			TypeTranslation: map[string]string{"bot": "infected-system"}},
	}
	raw := "ip,url,type,asn,time,tags,fqdn\n" +
		"10.0.0.1,example.com/a,bot,AS64496,1495782036000,\"[\"\"a\"\",\"\"b\"\"]\",.\n" +
		"10.0.0.0/24,https://x.example/,,,1495782037000,,-\n" +
		"# comment\n" +
		"10.0.0.2,,unknown,AS1,1495782038000,,\n" +
		"nonsense,,,,1495782038000,,\n" +
		"10.0.0.3,,,no asn here,notanumber,,\n" +
		"10.0.0.4,,,,1495782039000,[broken,\n"
	res := run(t, p, newReport(t, raw, map[string]string{"feed.name": "Feed"}))
	if res.Err != "" {
		t.Fatal(res.Err)
	}
	want := []map[string]any{
		{"feed.name": "Feed", "source.ip": "10.0.0.1", "source.url": "http://example.com/a",
			"classification.type": "infected-system", "source.asn": float64(64496), "time.source": "2017-05-26T07:00:36+00:00",
			"extra.tags": []any{"a", "b"},
			"raw":        b64("10.0.0.1,example.com/a,bot,AS64496,1495782036000,\"[\"\"a\"\",\"\"b\"\"]\",.")},
		{"feed.name": "Feed", "source.network": "10.0.0.0/24", "source.url": "https://x.example/",
			"classification.type": "blacklist", "time.source": "2017-05-26T07:00:37+00:00",
			"raw": b64("10.0.0.0/24,https://x.example/,,,1495782037000,,-")},
	}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantBad := []struct {
		line int
		err  string
	}{
		{5, `map "classification.type": invalid value "unknown" (string) for key "classification.type": not in type_translation`},
		{6, `map "source.ip|source.network": invalid value "nonsense"`},
		{7, `map "time.source": invalid date/time: "notanumber" is not an integer`},
		{8, `map "extra.tags": the value "[broken" is not JSON`},
	}
	if len(res.Bad) != len(wantBad) {
		t.Fatalf("bad records: %+v", res.Bad)
	}
	for i, w := range wantBad {
		if b := res.Bad[i]; b.Line != w.line || !strings.HasPrefix(b.Err, w.err) || b.Prefix != "ip,url,type,asn,time,tags,fqdn\n" {
			t.Errorf("bad record %d = %+v, want line %d, error starting %q and the header as prefix", i, b, w.line, w.err)
		}
	}
}

func TestRunKeepUntranslatedAndAlternatives(t *testing.T) {
	vars := stringVars("t")
	p := &plan.Parser{
		Input:   plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ';', Columns: []string{"t"}}},
		Vars:    vars,
		Map:     []*plan.Mapping{{Fields: []string{"classification.type"}, Value: compileExpr(t, "t", vars, nil), Required: true}},
		Convert: plan.Conversions{TypeTranslation: map[string]string{"c2": "c2-server"}, KeepUntranslated: true},
	}
	res := run(t, p, newReport(t, "c2\nphishing\n\"x\"\n", nil))
	var got []any
	for _, ev := range res.Events {
		got = append(got, ev["classification.type"])
	}
	if diff := cmp.Diff([]any{"c2-server", "phishing"}, got); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	if len(res.Bad) != 1 || res.Bad[0].Line != 3 {
		t.Errorf("bad records: %+v", res.Bad)
	}
}

func TestRunSkipEachDefaultsAndVariables(t *testing.T) {
	vars := []plan.Var{
		{Name: "ip", Type: plan.VarAny}, {Name: "ports", Type: plan.VarAny}, {Name: "kind", Type: plan.VarAny},
		{Name: "record", Type: plan.VarMap}, {Name: "report", Type: plan.VarMap},
		{Name: "line", Type: plan.VarString}, {Name: "line_number", Type: plan.VarInt},
		{Name: "item", Type: plan.VarAny}, {Name: "index", Type: plan.VarInt},
	}
	consts := []plan.Const{{Name: "names", Type: plan.VarMap, Value: map[string]any{"x": "malware x"}}}
	e := func(src string, opts ...expr.Option) *plan.Expr { return compileExpr(t, src, vars, consts, opts...) }
	m := func(field, src string) *plan.Mapping {
		return &plan.Mapping{Fields: []string{field}, Value: e(src), Required: true}
	}
	p := &plan.Parser{
		Input:  plan.Input{Format: plan.FormatJSON, JSON: &plan.JSONInput{Path: []string{"data"}}},
		Vars:   vars,
		Consts: consts,
		Skip:   e(`kind == "ignore"`, expr.AsBool()),
		Set:    []plan.Constant{constant(t, "classification.type", harmonization.String("scanner"))},
		Map: []*plan.Mapping{
			m("source.ip", "ip"),
			m("extra.feed_url", `report["feed.url"]`),
			m("extra.line", "line_number"),
			m("extra.kind", "record.kind"),
			m("event_description.text", "names[string(kind)] ?? kind"),
		},
		Each: []*plan.Each{{
			List: e("ports"),
			Skip: e("item == 0", expr.AsBool()),
			Map: []*plan.Mapping{
				m("source.port", "item"),
				m("extra.index", "index"),
			},
		}},
		DefaultFields: []plan.Constant{
			constant(t, "classification.type", harmonization.String("blacklist")),
			constant(t, "protocol.transport", harmonization.String("tcp")),
		},
		CopyCollectorProvidedFields: []string{"extra.file_name"},
	}
	raw := `{"data": [
  {"ip": "192.0.2.1", "ports": [22, 0, 80], "kind": "x"},
  {"ip": "192.0.2.2", "ports": [1], "kind": "ignore"},
  {"ip": "192.0.2.3", "ports": [], "kind": "y"},
  {"ip": "192.0.2.4", "ports": [5, 99999999], "kind": "z"}
]}`
	report := newReport(t, raw, map[string]string{"feed.url": "https://example.com/x.json", "extra.file_name": "x.json",
		"extra.other": "not copied"})
	res := run(t, p, report)
	if res.Err != "" {
		t.Fatal(res.Err)
	}
	item := `{"ip": "192.0.2.1", "ports": [22, 0, 80], "kind": "x"}`
	event := func(port, index float64) map[string]any {
		return map[string]any{
			"feed.url": "https://example.com/x.json", "extra.file_name": "x.json",
			"classification.type": "scanner", "source.ip": "192.0.2.1",
			"extra.feed_url": "https://example.com/x.json", "extra.line": float64(1), "extra.kind": "x",
			"event_description.text": "malware x", "source.port": port, "extra.index": index,
			"protocol.transport": "tcp", "raw": b64(item),
		}
	}
	want := []map[string]any{event(22, 0), event(80, 2)}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(res.Bad) != 1 || res.Bad[0].Line != 5 || !strings.HasPrefix(res.Bad[0].Err, `item 1: map "source.port": invalid value "99999999"`) {
		t.Errorf("bad records: %+v", res.Bad)
	}
	if want := (Stats{Records: 4, Events: 2, Bad: 1, Skipped: 2}); res.Stats != want {
		t.Errorf("stats = %+v, want %+v", res.Stats, want)
	}
}

func TestRunLinesAndKeyValue(t *testing.T) {
	vars := stringVars("ip", "port", "line")
	lines := &plan.Parser{
		Input: plan.Input{Format: plan.FormatLines, Lines: &plan.LinesInput{
			Regex: regexp.MustCompile(`^(?P<ip>\S+)\s+(?P<port>\d+)$`), Comment: []string{"#"}}},
		Vars: vars,
		Map: []*plan.Mapping{
			{Fields: []string{"source.ip"}, Value: compileExpr(t, "ip", vars, nil), Required: true},
			{Fields: []string{"source.port"}, Value: compileExpr(t, "int(port)", vars, nil), Required: true},
			{Fields: []string{"comment"}, Value: compileExpr(t, "line", vars, nil), Required: true},
		},
		DefaultFields: []plan.Constant{constant(t, "classification.type", harmonization.String("scanner"))},
	}
	res := run(t, lines, newReport(t, "# scanners\n 192.0.2.1   22 \nbad line\n", nil))
	want := []map[string]any{{"source.ip": "192.0.2.1", "source.port": float64(22), "comment": "192.0.2.1   22",
		"classification.type": "scanner", "raw": b64(" 192.0.2.1   22 ")}}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("lines events (-want +got):\n%s", diff)
	}
	if len(res.Bad) != 1 || res.Bad[0].Line != 3 || !strings.Contains(res.Bad[0].Err, "does not match the pattern") {
		t.Errorf("lines bad records: %+v", res.Bad)
	}

	kvVars := stringVars("src", "dpt", "record")
	kvVars[2].Type = plan.VarStringMap
	kv := &plan.Parser{
		Input: plan.Input{Format: plan.FormatKeyValue, KeyValue: &plan.KeyValueInput{StripQuotes: true, Keys: []string{"src", "dpt"}}},
		Vars:  kvVars,
		Map: []*plan.Mapping{
			{Fields: []string{"source.ip"}, Value: compileExpr(t, "src", kvVars, nil), Required: true},
			{Fields: []string{"destination.port"}, Value: compileExpr(t, "dpt", kvVars, nil), Required: true},
			{Fields: []string{"extra.msg"}, Value: compileExpr(t, `record["msg"]`, kvVars, nil), Required: true},
		},
	}
	res = run(t, kv, newReport(t, "src=192.0.2.9 dpt=\"443\" msg=hi\nsrc=192.0.2.10\n", nil))
	want = []map[string]any{
		{"source.ip": "192.0.2.9", "destination.port": float64(443), "extra.msg": "hi", "raw": b64("src=192.0.2.9 dpt=\"443\" msg=hi")},
		{"source.ip": "192.0.2.10", "raw": b64("src=192.0.2.10")},
	}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("key-value events (-want +got):\n%s", diff)
	}
}

func TestRunReportFailures(t *testing.T) {
	vars := stringVars("a")
	csvParser := &plan.Parser{
		Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ',', Quote: '"', Header: true, Columns: []string{"a"}}},
		Vars:  vars,
		Map:   []*plan.Mapping{{Fields: []string{"source.ip"}, Value: compileExpr(t, "a", vars, nil)}},
	}
	res := run(t, csvParser, newReport(t, "b\n192.0.2.1\n", nil))
	if res.Err != `csv: the header row names the columns ["b"], but the parser declares ["a"]` || len(res.Events) != 0 {
		t.Errorf("header mismatch: %+v", res)
	}
	jsonParser := &plan.Parser{Input: plan.Input{Format: plan.FormatJSON}, Vars: []plan.Var{{Name: "a"}},
		Map: []*plan.Mapping{{Fields: []string{"source.ip"}, Value: compileExpr(t, "a", []plan.Var{{Name: "a"}}, nil)}}}
	res = run(t, jsonParser, newReport(t, `[{"a": "192.0.2.1"}, {"a": ]`, nil))
	if !strings.HasPrefix(res.Err, "json: invalid document") || len(res.Events) != 0 {
		t.Errorf("invalid JSON: %+v", res)
	}
	x, _ := New(jsonParser)
	if _, err := x.Run(context.Background(), message.NewReport(nil), nil, nil); !errors.Is(err, ErrNoRaw) {
		t.Errorf("report without raw: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.Run(ctx, newReport(t, `[]`, nil), nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
	stop := errors.New("queue full")
	st, err := x.Run(context.Background(), newReport(t, `[{"a": "192.0.2.1"}, {"a": "192.0.2.2"}]`, nil),
		func(*message.Message) error { return stop }, nil)
	if !errors.Is(err, stop) || st.Events != 0 || st.Records != 1 {
		t.Errorf("emit error: %v, %+v", err, st)
	}
}

func TestRunTextFilter(t *testing.T) {
	vars := stringVars("a", "b", "c", "ip")
	for _, keep := range []bool{true, false} {
		p := &plan.Parser{
			Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ' ', Comment: []string{"#"},
				Columns: []string{"a", "b", "c", "ip"}, Filter: &plan.TextFilter{Text: "ipset add ", Keep: keep}}},
			Vars: vars,
			Map:  []*plan.Mapping{{Fields: []string{"source.ip"}, Value: compileExpr(t, "ip", vars, nil), Required: true}},
		}
		res := run(t, p, newReport(t, "# x\nipset add testIP 192.0.2.1\nipset del testIP 192.0.2.2\n", nil))
		want := "192.0.2.1"
		if !keep {
			want = "192.0.2.2"
		}
		if len(res.Events) != 1 || res.Events[0]["source.ip"] != want || res.Stats.Skipped != 1 {
			t.Errorf("filter keep=%v: %+v", keep, res)
		}
	}
}

func TestRunFastPathsAgreeWithTheVM(t *testing.T) {
	vars := append(stringVars("a", "b"), plan.Var{Name: "row", Type: plan.VarStringList})
	for _, tt := range []struct{ fast, slow string }{
		{"b", "b + ''"},
		{"get(row, 1)", "(get(row, 1) ?? '') + ''"},
		{"row[1]", "row[1] + ''"},
		{"get(row, 2)", "(get(row, 2) ?? '') + ''"},
		{"row[2]", "row[2] + ''"},
	} {
		results := make([]result, 2)
		for i, src := range []string{tt.fast, tt.slow} {
			p := &plan.Parser{
				Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ',', Quote: '"', Columns: []string{"a", "b"}}},
				Vars:  vars,
				Map:   []*plan.Mapping{{Fields: []string{"source.ip"}, Value: compileExpr(t, src, vars, nil), Required: true}},
			}
			x, err := New(p)
			if err != nil {
				t.Fatal(err)
			}
			if fast := x.maps[0].direct != nil || x.maps[0].cell >= 0; fast != (i == 0) {
				t.Fatalf("%q: fast path %v", src, fast)
			}
			results[i] = run(t, p, newReport(t, "x,192.0.2.1\ny\nz,bogus\n", nil))
		}
		fast, slow := results[0], results[1]
		if diff := cmp.Diff(slow.Events, fast.Events); diff != "" {
			t.Errorf("%q: events differ from %q (-vm +fast):\n%s", tt.fast, tt.slow, diff)
		}
		if len(fast.Bad) != len(slow.Bad) {
			t.Fatalf("%q: bad records %+v, the VM gives %+v", tt.fast, fast.Bad, slow.Bad)
		}
		for i := range fast.Bad {
			f, s := fast.Bad[i], slow.Bad[i]
			f.Err = strings.ReplaceAll(f.Err, strconv.Quote(tt.fast), "")
			s.Err = strings.ReplaceAll(s.Err, strconv.Quote(tt.slow), "")
			if f != s {
				t.Errorf("%q: bad record %+v, the VM gives %+v", tt.fast, fast.Bad[i], slow.Bad[i])
			}
		}
	}
}
