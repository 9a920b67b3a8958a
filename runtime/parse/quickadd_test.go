// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// TestQuickAddMatchesVM runs a parser whose mappings take every shortcut
// of addQuick and addMemo (a date and time written to the arena, memos of
// repeated values, a memo that fills up and switches off, invalid and
// ignored values seen again, an overwriting and a clashing mapping) and
// checks that the events and bad records are those of the plain path, for
// owned and for lent events.
func TestQuickAddMatchesVM(t *testing.T) {
	vars := stringVars("ts", "ip", "name", "status")
	m := func(field, src string) *plan.Mapping {
		return &plan.Mapping{Fields: []string{field}, Value: compileExpr(t, src, vars, nil), Required: true,
			Origin: plan.Origin{File: "p.hcl", Line: 2, Column: 3}}
	}
	p := &plan.Parser{
		Input: plan.Input{Format: plan.FormatCSV, CSV: &plan.CSVInput{Delimiter: ',', Quote: '"',
			Columns: []string{"ts", "ip", "name", "status"}}},
		Vars: vars,
		Map: []*plan.Mapping{
			m("time.source", "ts + ' UTC'"),
			m("source.ip", "ip"),
			m("malware.name", "lower(name)"),
			m("extra.status", "status"),
			m("event_description.text", "upper(status)"),
			{Fields: []string{"event_description.text"}, Value: compileExpr(t, "name", vars, nil), Overwrite: true},
			{Fields: []string{"extra.status"}, Value: compileExpr(t, "status", vars, nil)}, // optional, clashes
		},
	}
	names := []string{"Dridex", "EMOTET", "emotet", "Tr\x01ck", "-", "", "QakBot", "ÄÖÜ"}
	statuses := []string{"online", "offline", "N/A", " spaced ", "ünï"}
	times := []string{"2021-01-17 07:44:46", "2021-02-30 07:44:46", "2021-01-17T07:44:46+00:00", "bogus", ""}
	var b strings.Builder
	for i := range 1500 {
		ip := fmt.Sprintf("192.0.2.%d", i%3)
		switch {
		case i > 200 && i < 1400:
			ip = fmt.Sprintf("10.%d.%d.1", i/250, i%250) // many distinct values: the memo gives up
		case i%17 == 0:
			ip = "bogus"
		case i%19 == 0:
			ip = "0.0.0.0"
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s\n", times[i%len(times)], ip, names[i%len(names)], statuses[i%len(statuses)])
	}
	report := newReport(t, b.String(), nil)
	res := fastAndSlow(t, p, report)
	if res.Stats.Events == 0 || res.Stats.Bad == 0 {
		t.Fatalf("stats %+v: the report should give both events and bad records", res.Stats)
	}
	lent, _ := runLent(t, p, report)
	if diff := cmp.Diff(run(t, p, report), lent); diff != "" {
		t.Errorf("RunLent differs from Run (-Run +RunLent):\n%s", diff)
	}
	x, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.RunLent(t.Context(), report, func(*message.Message) error { return nil }, nil); err != nil {
		t.Fatal(err)
	}
	if !x.maps[1].memo.off || x.maps[2].memo.off || len(x.maps[2].memo.m) == 0 {
		t.Errorf("memo of source.ip off %v, of malware.name off %v with %d values",
			x.maps[1].memo.off, x.maps[2].memo.off, len(x.maps[2].memo.m))
	}
}
