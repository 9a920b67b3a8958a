// SPDX-License-Identifier: AGPL-3.0-or-later

package parse_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/conformance"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/stdlib/feeds"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// corpus holds IntelMQ's own parser test cases.
var corpus = filepath.Join("..", "..", "testdata", "conformance", "intelmq")

// genericRaw is the raw of IntelMQ's generic CSV parser: the skipped lines
// and the row written back by Python's csv.writer.
const genericRaw = `header + csvLine(row, ',', newline)`

// compileHCL compiles HCL sources (name → text) into their parsers.
func compileHCL(t *testing.T, files map[string][]byte) []*plan.Parser {
	t.Helper()
	loader := lang.NewLoader()
	var parsed []*lang.File
	for name, src := range files {
		f, diags := loader.Parse(name, src)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		parsed = append(parsed, f)
	}
	p, diags := compiler.Compile(parsed, &compiler.Env{Schema: harmonization.Default(), ExprOptions: funcs.Options()})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p.Parsers
}

// TestReportTextFeatures replays IntelMQ's cases against ports that use
// the report's text variables, raw, overwrite, reject and spread
// (the shipped library's, stdlib/feeds), and the generic CSV cases against their ported
// parameters plus genericRaw: each must give IntelMQ's events, raw
// included.
var rawAttr = regexp.MustCompile(`(?m)^\s*raw\s*=`)

func TestReportTextFeatures(t *testing.T) {
	// The shipped library's ports of these modules, which use the features.
	ports := map[string][]byte{}
	for _, name := range []string{"dshield_block", "abusech_feodotracker", "github_feed", "malwarepatrol_dansguardian",
		"calidog_certstream", "zoneh", "cert_eu_csv", "cznic_proki"} {
		src, err := fs.ReadFile(feeds.Files(), "parsers/"+name+".hcl")
		if err != nil {
			t.Fatal(err)
		}
		ports[name+".hcl"] = src
	}
	r := &conformance.Runner{
		Library: compileHCL(t, ports),
		Compile: func(name string, src []byte) ([]*plan.Parser, error) {
			s := string(src)
			// The synthesized parser already sets raw once the runner
			// carries IntelMQ's generic CSV raw; add it only when absent.
			if !rawAttr.MatchString(s) {
				end := strings.LastIndex(s, "}")
				s = s[:end] + "  raw = \"" + genericRaw + "\"\n" + s[end:]
			}
			return compileHCL(t, map[string][]byte{name: []byte(s)}), nil
		},
	}
	cases, err := conformance.LoadParserCases(corpus)
	if err != nil {
		t.Fatal(err)
	}
	features := map[string]string{
		"dshield/TestDshieldBlockParserBot.test_event":                                               "comments",
		"abusech/TestAbusechFeodoTrackerParserBot.test_event":                                        "raw = pyJSONText",
		"github_feed/TestGithubFeedParserBot.test_strangerealintel_feed_processing_is_successful":    "raw = pyReprText",
		"github_feed/TestGithubFeedParserBot.test_no_processing_is_executed_for_the_feed_is_unknown": "reject",
		"malwarepatrol/TestDansParserBot.test_empty":                                                 "comments, overwrite",
		"calidog/TestCertStreamParserBot.test_events":                                                "text",
		"zoneh/TestZoneHParserBot.test_event":                                                        "header, line_end",
		"zoneh/TestZoneHParserBot.test_pending_event":                                                "header, line_end",
		"cert_eu/TestCertEUCSVParserBot.test_event":                                                  "header, newline, csvLine, overwrite",
		"cznic/TestCZNICProkiParserBot.test_event":                                                   "spread, renameKeys",
	}
	generic := 0
	for _, c := range cases {
		feature, ok := features[c.Name]
		if strings.HasPrefix(c.Name, "generic/") {
			feature, ok = "header, newline, csvLine", true
			generic++
		}
		if !ok {
			continue
		}
		delete(features, c.Name)
		t.Run(c.Name, func(t *testing.T) {
			res := r.Run(context.Background(), c)
			if res.Status != conformance.Pass {
				t.Errorf("%s (%s): %s\n  %s", res.Status, feature, res.Reason, strings.Join(res.Problems, "\n  "))
			}
		})
	}
	if generic != 20 {
		t.Errorf("%d generic CSV cases, want 20", generic)
	}
	for name := range features {
		t.Errorf("the case %s is not in the corpus", name)
	}
}
