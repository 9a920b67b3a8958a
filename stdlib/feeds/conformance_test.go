// SPDX-License-Identifier: AGPL-3.0-or-later

package feeds_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/bots/all"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/conformance"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// corpusDir holds IntelMQ's parser test cases as JSON (see its README).
var corpusDir = filepath.Join("..", "..", "testdata", "conformance", "intelmq")

// compileOne compiles one HCL file on its own, for the parsers the
// conformance runner writes from a case's parameters.
func compileOne(t testing.TB) conformance.CompileFunc {
	return func(name string, src []byte) ([]*plan.Parser, error) {
		loader := lang.NewLoader()
		f, diags := loader.Parse(name, src)
		if diags.HasErrors() {
			return nil, diags
		}
		p, more := compile(t, []*lang.File{f})
		if more.HasErrors() {
			return nil, more
		}
		return p.Parsers, nil
	}
}

// TestConformance replays IntelMQ's own parser test cases against the
// library's parsers (and the parsers written from the parameters of
// IntelMQ's generic CSV and key-value cases) and compares every event field
// by field as IntelMQ's assertMessageEqual does. Every case a parser stands
// for must give IntelMQ's events or be a documented known difference.
//
// The library's Shadowserver parser is generated from Shadowserver's schema
// (internal/gen-shadowserver), which lacks the report types of the test
// schema IntelMQ's Shadowserver cases use: those cases are known
// differences here, and internal/gen-shadowserver replays them against the
// parser generated from the test schema.
func TestConformance(t *testing.T) {
	p, diags := compileLibraryWith(t)
	if p == nil {
		t.Fatalf("the library does not compile: %s", diags.Error())
	}
	cases, err := conformance.LoadParserCases(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	r := &conformance.Runner{Library: p.Parsers, Bots: parserBots(t), Compile: compileOne(t), Known: conformance.KnownDifferences()}
	var sum conformance.Summary
	skipped := map[string]bool{}
	waiting := pending()
	for _, c := range cases {
		res := r.Run(context.Background(), c)
		sum.Add(res)
		feature, isPending := waiting[c.Name]
		delete(waiting, c.Name)
		switch {
		case isPending && res.Status == conformance.Fail:
			t.Logf("PENDING %s (parser %s) needs %s:\n  %s", c.Name, res.Parser, feature, strings.Join(res.Problems, "\n  "))
			continue
		case isPending:
			t.Errorf("%s is pending (%s) but is %s now: delete it from pending()", c.Name, feature, res.Status)
		}
		switch res.Status {
		case conformance.Fail:
			t.Errorf("FAIL %s (parser %s):\n  %s", c.Name, res.Parser, strings.Join(res.Problems, "\n  "))
		case conformance.Known:
			t.Logf("KNOWN %s: %s", c.Name, res.Reason)
		case conformance.Skip:
			skipped[c.Bot] = true
		}
	}
	var mods []string
	for m := range skipped {
		mods = append(mods, strings.TrimPrefix(m, "intelmq.bots.parsers."))
	}
	sort.Strings(mods)
	t.Logf("not ported: %s", strings.Join(mods, ", "))
	t.Logf("%s (of %d cases)", sum, sum.Total())
	for name := range waiting {
		t.Errorf("pending() names %s, which is not in the corpus", name)
	}
	if sum.Total() != len(cases) {
		t.Errorf("%d results for %d cases", sum.Total(), len(cases))
	}
}

// parserBots returns the bundled Go parser bots that name the IntelMQ
// module they replace: the conformance runner replays that module's cases
// against them.
func parserBots(t testing.TB) []conformance.ParserBot {
	t.Helper()
	r := botapi.NewRegistry()
	if err := all.Register(r); err != nil {
		t.Fatal(err)
	}
	var out []conformance.ParserBot
	for _, id := range r.IDs(botapi.KindParser) {
		spec, _ := r.Lookup(id)
		if spec.IntelMQModule != "" {
			out = append(out, conformance.ParserBot{Spec: spec, New: r.Constructor(id)})
		}
	}
	return out
}
