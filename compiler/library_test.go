// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
)

// testLibrary is a small shipped library: two parsers, a feed using one of
// them, and an output.
var testLibrary = map[string]string{
	"stdlib/parsers/ips.hcl": `
parser "ips" {
  lines {
    column = "ip"
  }
  set = { "classification.type" = "blacklist" }
  map = { "source.ip" = "ip" }
}
`,
	"stdlib/parsers/urls.hcl": `
parser "urls" {
  lines {
    column = "url"
  }
  set = { "classification.type" = "phishing" }
  map = { "source.url" = "url" }
}
`,
	"stdlib/feeds/acme.hcl": `
feed "acme_ips" {
  provider = "ACME"
  collect "http" {
    url = "https://acme.example/ips.txt"
  }
  parser = parser.ips
}
`,
	"stdlib/feeds/outputs.hcl": `
output "file" "archive" {
  file = "archive.jsonl"
}
`,
}

// userPipeline lists the library's feed and writes to the user's output.
const userPipeline = `
output "file" "events" {
  file = "events.jsonl"
}

pipeline "main" {
  feeds = [feed.acme_ips]
  route {
    to = [output.events]
  }
}
`

// parseAll parses sources named by their keys, in name order.
func parseAll(t *testing.T, l *lang.Loader, srcs map[string]string) []*lang.File {
	t.Helper()
	var names []string
	for n := range srcs {
		names = append(names, n)
	}
	sort.Strings(names)
	var files []*lang.File
	for _, n := range names {
		f, diags := l.Parse(n, []byte(srcs[n]))
		if diags.HasErrors() {
			t.Fatalf("%s: %s", n, diags.Error())
		}
		files = append(files, f)
	}
	return files
}

// compileWithLibrary compiles user sources together with lib.
func compileWithLibrary(t *testing.T, user, lib map[string]string, use ...string) (*plan.Plan, hcl.Diagnostics) {
	t.Helper()
	l := lang.NewLoader()
	env := testEnv(t)
	env.Library = parseAll(t, l, lib)
	env.Use = use
	return Compile(parseAll(t, l, user), env)
}

// planNames lists the feeds, parsers and bots of a plan with the file each
// was declared in.
func planNames(p *plan.Plan) []string {
	var out []string
	for _, f := range p.Feeds {
		out = append(out, "feed."+f.Name+" "+f.Origin.File)
	}
	for _, x := range p.Parsers {
		out = append(out, "parser."+x.Name+" "+x.Origin.File)
	}
	for _, b := range p.Bots {
		out = append(out, b.Kind.String()+"."+b.Name+" "+b.Origin.File)
	}
	return out
}

func TestLibraryUnusedIsSilentAndLeftOut(t *testing.T) {
	p, diags := compileWithLibrary(t, map[string]string{"user.hcl": ""}, testLibrary)
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", dump(diags))
	}
	if got := planNames(p); len(got) > 0 {
		t.Errorf("the plan holds library declarations nothing uses: %v", got)
	}
}

func TestLibraryPulledInTransitively(t *testing.T) {
	p, diags := compileWithLibrary(t, map[string]string{"main.hcl": userPipeline}, testLibrary)
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", dump(diags))
	}
	want := []string{
		"feed.acme_ips stdlib/feeds/acme.hcl",
		"parser.ips stdlib/parsers/ips.hcl",
		"output.events main.hcl",
	}
	if diff := cmp.Diff(want, planNames(p)); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if len(p.Nodes) != 4 { // collector, parser, router, output
		t.Errorf("got %d nodes, want 4", len(p.Nodes))
	}
}

func TestLibraryShadowedByUser(t *testing.T) {
	user := map[string]string{
		"main.hcl": userPipeline,
		"parsers.hcl": `
parser "ips" {
  lines {
    column = "ip"
  }
  set = { "classification.type" = "scanner" }
  map = { "source.ip" = "ip" }
}
`,
	}
	p, diags := compileWithLibrary(t, user, testLibrary)
	if len(diags) > 0 {
		t.Fatalf("a user declaration shadowing the library's gave diagnostics:\n%s", dump(diags))
	}
	// The library's feed is pulled in, and its parser.ips is now the user's.
	if got := p.Feed("acme_ips").Parser.Origin.File; got != "parsers.hcl" {
		t.Errorf("feed.acme_ips uses the parser of %s, want the user's parsers.hcl", got)
	}
	if n := len(p.Parsers); n != 1 {
		t.Errorf("got %d parsers, want the user's only", n)
	}
}

func TestLibraryUserDuplicatesStillError(t *testing.T) {
	decl := `
parser "ips" {
  lines {
    column = "ip"
  }
  map = { "source.ip" = "ip" }
}
`
	_, diags := compileWithLibrary(t, map[string]string{"a.hcl": decl, "b.hcl": decl}, testLibrary)
	var got []string
	for _, d := range diags {
		got = append(got, d.Subject.Filename+": "+d.Summary)
	}
	if diff := cmp.Diff([]string{"b.hcl: Duplicate parser"}, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestLibraryUse(t *testing.T) {
	p, diags := compileWithLibrary(t, nil, testLibrary, "parser.urls", "feed.acme_ips", "parser.nosuch")
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", dump(diags))
	}
	want := []string{
		"feed.acme_ips stdlib/feeds/acme.hcl",
		"parser.ips stdlib/parsers/ips.hcl",
		"parser.urls stdlib/parsers/urls.hcl",
	}
	if diff := cmp.Diff(want, planNames(p)); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
}

func TestLibraryNamesSuggested(t *testing.T) {
	user := map[string]string{"main.hcl": `
feed "mine" {
  provider = "Me"
  parser   = parser.url
}
`}
	_, diags := compileWithLibrary(t, user, testLibrary)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, "Did you mean parser.urls?") {
		t.Fatalf("want one Unknown parser suggesting the library's parser.urls, got:\n%s", dump(diags))
	}
}

func TestLibraryDiagnosticsKeepTheirPath(t *testing.T) {
	lib := map[string]string{"stdlib/parsers/bad.hcl": `
parser "bad" {
  lines {
    column = "ip"
  }
  map = { "source.ip" = "nosuch" }
}
`}
	user := map[string]string{"main.hcl": `
feed "mine" {
  provider = "Me"
  parser   = parser.bad
}
`}
	_, diags := compileWithLibrary(t, user, lib)
	var errs []string
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs = append(errs, at(*d.Subject))
		}
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "stdlib/parsers/bad.hcl:6:") {
		t.Errorf("want one error at stdlib/parsers/bad.hcl:6, got %v\n%s", errs, dump(diags))
	}
}
