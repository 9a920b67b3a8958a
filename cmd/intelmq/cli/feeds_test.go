// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/stdlib/feeds"
)

// feedsDoc is the generated feed documentation.
var feedsDoc = filepath.Join("..", "..", "..", "docs", "feeds.md")

// runCLI runs the command line in-process.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

// TestFeedsDoc checks that docs/feeds.md is what "intelmq feeds list
// --format markdown" writes; -update rewrites it.
func TestFeedsDoc(t *testing.T) {
	got, stderr, code := runCLI(t, "feeds", "list", "--format", "markdown")
	if code != exitOK {
		t.Fatalf("feeds list --format markdown: exit %d\n%s", code, stderr)
	}
	if *update {
		if err := os.WriteFile(feedsDoc, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(feedsDoc)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s is out of date; run go test ./cmd/intelmq/cli -run TestFeedsDoc -update", feedsDoc)
	}
}

// TestFeedsList checks the listing in JSON: every library feed with its
// parser and a collector, and the placeholders of the feeds that need
// credentials.
func TestFeedsList(t *testing.T) {
	out, stderr, code := runCLI(t, "feeds", "list", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var list []libraryFeed
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	byName := map[string]libraryFeed{}
	for _, f := range list {
		byName[f.Name] = f
		if f.Provider == "" || f.Feed == "" || f.Parser == "" || f.File == "" || f.ParserFile == "" {
			t.Errorf("%s: incomplete entry %+v", f.Name, f)
		}
		switch {
		case f.Collector == "external" && f.IntelMQCollector == "":
			t.Errorf("%s has no collector and its description names no IntelMQ collector (intelmq.bots.collectors.X)", f.Name)
		case f.Collector == "http" && f.URL == "":
			t.Errorf("%s: http collector without url", f.Name)
		}
	}
	for name, want := range map[string]libraryFeed{
		"dataplane_sshclient": {Provider: "Dataplane", Feed: "SSH Client Connection", Parser: "dataplane", Collector: "http",
			URL: "https://dataplane.org/sshclient.txt", Interval: "1h"},
		"zoneh_defacements":          {Provider: "ZoneH", Feed: "Defacements", Parser: "zoneh", Collector: "mail_attach", Interval: "1h"},
		"alienvault_otx":             {Provider: "AlienVault", Feed: "OTX", Parser: "alienvault_otx", Collector: "alienvault_otx", Interval: "1h"},
		"blueliv_crimeserver":        {Provider: "Blueliv", Feed: "CrimeServer", Parser: "blueliv_crimeserver", Collector: "blueliv_crimeserver", Interval: "1h"},
		"mcafee_atd_sandbox_reports": {Provider: "McAfee Advanced Threat Defense", Feed: "Sandbox Reports", Parser: "mcafee_atd", Collector: "opendxl"},
		"malwarepatrol_dansguardian": {Provider: "MalwarePatrol", Feed: "DansGuardian", Parser: "malwarepatrol_dansguardian", Collector: "http", Interval: "50h"},
		"viriback_c2_tracker":        {Provider: "ViriBack", Feed: "C2 Tracker", Parser: "viriback_c2_tracker", Collector: "http", Interval: "24h"},
		"surbl_malicious_domains":    {Provider: "Surbl", Feed: "Malicious Domains", Parser: "surbl", Collector: "rsync", Interval: "16m40s"},
		"shadowserver_rt":            {Provider: "Shadowserver", Feed: "Via Request Tracker", Parser: "shadowserver", Collector: "rt", Interval: "1h"},
	} {
		got, ok := byName[name]
		switch {
		case !ok:
			t.Errorf("no feed %s", name)
		case got.Provider != want.Provider || got.Feed != want.Feed || got.Parser != want.Parser ||
			got.Collector != want.Collector || got.IntelMQCollector != want.IntelMQCollector ||
			(want.URL != "" && got.URL != want.URL) || (want.Interval != "" && got.Interval != want.Interval):
			t.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
	if got := strings.Join(byName["bambenek_c2_ips"].Placeholders, ","); got != "password,username" {
		t.Errorf("bambenek_c2_ips placeholders = %q, want password,username", got)
	}
	if got := strings.Join(byName["shadowserver_rt"].Placeholders, ","); got != "country,rt_password,rt_uri,rt_user" {
		t.Errorf("shadowserver_rt placeholders = %q, want country,rt_password,rt_uri,rt_user", got)
	}
	if got := strings.Join(byName["phishtank_online"].Placeholders, ","); got != "api_key" {
		t.Errorf("phishtank_online placeholders = %q, want api_key", got)
	}

	text, _, code := runCLI(t, "feeds", "list")
	if code != exitOK || !strings.HasPrefix(text, "NAME ") || !strings.Contains(text, "dataplane_sshclient ") {
		t.Errorf("feeds list: exit %d\n%s", code, text)
	}
}

// TestFeedsShowCompiles checks that what "intelmq feeds show" prints for
// every library feed is a configuration of its own that validates: the
// feed and its parser, nothing missing.
func TestFeedsShowCompiles(t *testing.T) {
	out, _, code := runCLI(t, "feeds", "list", "--format", "json")
	if code != exitOK {
		t.Fatalf("feeds list: exit %d", code)
	}
	var list []libraryFeed
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("the library has no feeds")
	}
	cenv, err := compilerEnv()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		src, stderr, code := runCLI(t, "feeds", "show", f.Name)
		if code != exitOK {
			t.Errorf("feeds show %s: exit %d\n%s", f.Name, code, stderr)
			continue
		}
		parserBlock := "parser \"" + f.Parser + "\" {"
		if f.ParserBot != "" { // a Go parser bot's bot block
			parserBlock = "bot \"" + f.ParserBot + "\" \"" + f.Parser + "\" {"
		}
		if !strings.Contains(src, "\nfeed \""+f.Name+"\" {") || !strings.Contains(src, parserBlock) {
			t.Errorf("feeds show %s lacks the feed or the parser block:\n%s", f.Name, src)
		}
		loader := lang.NewLoader()
		file, diags := loader.Parse(f.Name+".hcl", []byte(src))
		if diags.HasErrors() {
			t.Errorf("feeds show %s does not parse: %s", f.Name, diags.Error())
			continue
		}
		p, diags := compileFiles([]*lang.File{file}, cenv)
		placeholders := 0
		for _, d := range diags {
			switch {
			case d.Summary == "Placeholder not replaced" && d.Severity == hcl.DiagWarning:
				placeholders++
			case d.Summary != "Feed in no pipeline":
				t.Errorf("feeds show %s: %s", f.Name, d.Error())
			}
		}
		// A feed that needs values of the user's has its placeholders
		// pointed out by a warning (those of its collector's parameters).
		if len(f.Placeholders) == 0 && placeholders > 0 {
			t.Errorf("feeds show %s: %d placeholder warnings for a feed that needs nothing", f.Name, placeholders)
		}
		parsers := 0
		if p != nil {
			parsers = len(p.Parsers)
			for _, b := range p.Bots {
				if b.Kind == plan.KindParser {
					parsers++
				}
			}
		}
		if p == nil || len(p.Feeds) != 1 || parsers != 1 {
			t.Errorf("feeds show %s: want one feed and one parser", f.Name)
		}
	}
	if _, stderr, code := runCLI(t, "feeds", "show", "dataplane_sshclien"); code != exitUsage ||
		!strings.Contains(stderr, `Did you mean "dataplane_sshclient"?`) {
		t.Errorf("feeds show of an unknown feed: exit %d, %q", code, stderr)
	}
}

// TestFeedsCatalogue checks that every feed of IntelMQ's catalogue is
// either declared in the library (same provider and feed name) or listed
// by feeds.Missing with a reason, and nothing else.
func TestFeedsCatalogue(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "intelmq-feeds.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	catalogue := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		catalogue[line] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(catalogue) != 83 {
		t.Fatalf("the catalogue has %d feeds, want IntelMQ's 83", len(catalogue))
	}
	out, _, code := runCLI(t, "feeds", "list", "--format", "json")
	if code != exitOK {
		t.Fatalf("feeds list: exit %d", code)
	}
	var list []libraryFeed
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	check := func(key, what string) {
		if prev, dup := seen[key]; dup {
			t.Errorf("%q is both %s and %s", key, prev, what)
		}
		seen[key] = what
		if !catalogue[key] {
			t.Errorf("%s %q is not a feed of IntelMQ's catalogue (provider<TAB>feed)", what, key)
		}
	}
	for _, f := range list {
		check(f.Provider+"\t"+f.Feed, "feed."+f.Name)
	}
	for _, m := range feeds.Missing() {
		if m.Reason == "" {
			t.Errorf("%s %s: missing without a reason", m.Provider, m.Name)
		}
		check(m.Provider+"\t"+m.Name, "listed as missing")
	}
	for key := range catalogue {
		if _, ok := seen[key]; !ok {
			t.Errorf("IntelMQ's feed %q is neither declared nor listed in feeds.Missing", key)
		}
	}
}

// feedScripts is the folder of the golden tests of the shipped parsers.
var feedScripts = filepath.Join("..", "..", "..", "testdata", "feeds")

// TestFeedGoldens runs testdata/feeds/*.txtar: each holds a real sample of a
// feed (IntelMQ's test data), runs "intelmq parse" with the shipped parser
// over it, and compares the events with the golden; -update rewrites the
// goldens. The library's files are in $WORK/stdlib/parsers and
// $WORK/stdlib/feeds. stdlib/feeds' TestGoldensAgree compares the goldens
// with IntelMQ's expected events.
func TestFeedGoldens(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 feedScripts,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Setup: func(e *testscript.Env) error {
			for _, p := range feeds.Paths() {
				src, err := fs.ReadFile(feeds.Files(), p)
				if err != nil {
					return err
				}
				// The scripts name $WORK/stdlib/parsers, whatever the
				// library's repository path (feeds.Root) is.
				dst := filepath.Join(e.WorkDir, "stdlib", filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(dst, src, 0o644); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

// compileFiles compiles files with env.
func compileFiles(files []*lang.File, env *compiler.Env) (*plan.Plan, hcl.Diagnostics) {
	return compiler.Compile(files, env)
}
