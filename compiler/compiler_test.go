// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
)

// testEnv registers a few fake bot specs, as the bots' packages will.
func testEnv(t testing.TB) *Env {
	t.Helper()
	r := botapi.NewRegistry()
	specs := []botapi.Spec{
		{ID: "collector.http", Kind: botapi.KindCollector, Params: []botapi.Param{
			{Name: "url", Type: botapi.TypeString, Required: true},
			{Name: "interval", Type: botapi.TypeDuration, Default: time.Hour},
			{Name: "headers", Type: botapi.TypeStringMap},
			{Name: "url_time_offset", Type: botapi.TypeDuration, Default: time.Duration(0), Negative: true},
		}},
		{ID: "collector.file", Kind: botapi.KindCollector, Params: []botapi.Param{
			{Name: "path", Type: botapi.TypeString, Required: true},
			{Name: "postfix", Type: botapi.TypeString},
		}},
		{ID: "expert.taxonomy", Kind: botapi.KindExpert},
		{ID: "expert.deduplicator", Kind: botapi.KindExpert, Params: []botapi.Param{
			{Name: "filter_keys", Type: botapi.TypeStringList, Default: []string{"raw"}},
			{Name: "redis_cache_ttl", Type: botapi.TypeDuration, Default: 24 * time.Hour},
			{Name: "redis_cache_db", Type: botapi.TypeInt, Default: int64(6)},
		}},
		{ID: "parser.example", Kind: botapi.KindParser, IntelMQModule: "intelmq.bots.parsers.example.parser", Params: []botapi.Param{
			{Name: "feed", Type: botapi.TypeString, Default: ""},
		}},
		{ID: "output.file", Kind: botapi.KindOutput, Params: []botapi.Param{
			{Name: "file", Type: botapi.TypeString, Required: true},
			{Name: "hierarchical_output", Type: botapi.TypeBool, Default: false},
		}},
	}
	for _, s := range specs {
		if err := r.Register(s, nil); err != nil {
			t.Fatal(err)
		}
	}
	return &Env{Bots: r, ExprOptions: funcs.Options()}
}

// compileDir parses every .hcl file of dir and compiles them together.
func compileDir(t testing.TB, files ...string) (*plan.Plan, hcl.Diagnostics, *lang.Loader) {
	t.Helper()
	l := lang.NewLoader()
	parsed, diags := l.LoadPaths(files)
	p, more := Compile(parsed, testEnv(t))
	return p, append(diags, more...), l
}

var markerPattern = regexp.MustCompile(`# (ERROR|WARNING): (.+)$`)

// markers reads the "# ERROR: <summary>" and "# WARNING: <summary>"
// comments of a file, keyed by line.
func markers(t *testing.T, name string) map[int][]string {
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{}
	for i, line := range strings.Split(string(src), "\n") {
		if m := markerPattern.FindStringSubmatch(line); m != nil {
			want[i+1] = append(want[i+1], m[1]+": "+strings.TrimSpace(m[2]))
		}
	}
	return want
}

// TestErrorFiles compiles each file of testdata/errors and compares the
// diagnostics, by line and summary, with the file's markers.
func TestErrorFiles(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join("testdata", "errors", "*.hcl"))
	if len(names) == 0 {
		t.Fatal("no test files")
	}
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			_, diags, _ := compileDir(t, name)
			got := map[int][]string{}
			for _, d := range diags {
				if d.Subject == nil {
					t.Errorf("diagnostic without a range: %s: %s", d.Summary, d.Detail)
					continue
				}
				sev := "ERROR"
				if d.Severity == hcl.DiagWarning {
					sev = "WARNING"
				}
				got[d.Subject.Start.Line] = append(got[d.Subject.Start.Line], sev+": "+d.Summary)
				checkDiagnosticStyle(t, d)
			}
			for _, l := range got {
				sort.Strings(l)
			}
			want := markers(t, name)
			for _, l := range want {
				sort.Strings(l)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("diagnostics by line (-want +got):\n%s\nall:\n%s", diff, dump(diags))
			}
		})
	}
}

// checkDiagnosticStyle holds every diagnostic to the house style: a short
// capitalised summary without a period, a detail of full sentences.
func checkDiagnosticStyle(t *testing.T, d *hcl.Diagnostic) {
	t.Helper()
	if d.Summary == "" || strings.ToUpper(d.Summary[:1]) != d.Summary[:1] || strings.HasSuffix(d.Summary, ".") || len(d.Summary) > 40 {
		t.Errorf("summary %q is not short, capitalised and without a period", d.Summary)
	}
	if d.Detail == "" || strings.ToUpper(d.Detail[:1]) != d.Detail[:1] ||
		!(strings.HasSuffix(d.Detail, ".") || strings.HasSuffix(d.Detail, "?")) {
		t.Errorf("detail %q is not full sentences", d.Detail)
	}
}

func dump(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "  %s: %s: %s\n", d.Subject, d.Summary, d.Detail)
	}
	return b.String()
}

// TestValidFiles compiles testdata/valid without any diagnostic.
func TestValidFiles(t *testing.T) {
	p, diags, _ := compileDir(t, filepath.Join("testdata", "valid"))
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", dump(diags))
	}
	if len(p.Feeds) == 0 || len(p.Nodes) == 0 {
		t.Fatalf("empty plan: %d feeds, %d nodes", len(p.Feeds), len(p.Nodes))
	}
}
