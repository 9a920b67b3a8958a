// SPDX-License-Identifier: AGPL-3.0-or-later

package feeds_test

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/bots/all"
	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/feeds"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// compileLibrary loads and compiles every file of the library, as the
// command line does, and returns the plan and all diagnostics.
func compileLibrary(t testing.TB) (*plan.Plan, hcl.Diagnostics) {
	t.Helper()
	return compileLibraryWith(t)
}

// compileLibraryWith compiles the library together with the HCL files of
// the given paths.
func compileLibraryWith(t testing.TB, paths ...string) (*plan.Plan, hcl.Diagnostics) {
	t.Helper()
	loader := lang.NewLoader()
	var files []*lang.File
	var diags hcl.Diagnostics
	lib := feeds.Paths()
	if len(lib) == 0 {
		t.Fatal("the library has no files")
	}
	for _, p := range lib {
		src, err := fs.ReadFile(feeds.Files(), p)
		if err != nil {
			t.Fatal(err)
		}
		f, d := loader.Parse(feeds.Root+"/"+p, src)
		diags = append(diags, d...)
		if f != nil {
			files = append(files, f)
		}
	}
	if len(paths) > 0 {
		more, d := loader.LoadPaths(paths)
		files, diags = append(files, more...), append(diags, d...)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	p, more := compile(t, files)
	return p, append(diags, more...)
}

// compile compiles files with the binary's schema, functions and bots.
func compile(t testing.TB, files []*lang.File) (*plan.Plan, hcl.Diagnostics) {
	t.Helper()
	bots := botapi.NewRegistry()
	if err := all.Register(bots); err != nil {
		t.Fatal(err)
	}
	env := &compiler.Env{Schema: harmonization.Default(), Bots: bots, ExprOptions: funcs.Options()}
	return compiler.Compile(files, env)
}

// libraryWarning reports whether d is a warning that only says the library
// is not wired into a pipeline or holds placeholders for the user's
// values, which is what a library is.
func libraryWarning(d *hcl.Diagnostic) bool {
	return d.Severity == hcl.DiagWarning && (d.Summary == "Feed in no pipeline" || d.Summary == "Placeholder not replaced")
}

// TestLibraryCompiles compiles the whole library and fails on any
// diagnostic, except the warning that a feed is in no pipeline.
func TestLibraryCompiles(t *testing.T) {
	p, diags := compileLibrary(t)
	for _, d := range diags {
		if libraryWarning(d) {
			continue
		}
		t.Errorf("%s", d.Error())
	}
	if p == nil {
		t.Fatal("no plan")
	}
	for _, ps := range p.Parsers {
		if ps.IntelMQModule == "" {
			t.Errorf("parser %s (%s) has no intelmq_module", ps.Name, ps.Origin)
		}
		if !strings.HasPrefix(ps.IntelMQModule, "intelmq.bots.parsers.") {
			t.Errorf("parser %s: intelmq_module %q is not an IntelMQ parser module", ps.Name, ps.IntelMQModule)
		}
		// parsers/x.hcl holds parser x..., feeds/x.hcl the feeds of provider x
		// and their own parsers x_...
		file := strings.TrimSuffix(path.Base(ps.Origin.File), ".hcl")
		if !strings.HasPrefix(ps.Name, file) {
			t.Errorf("parser %s is declared in %s; name the file after the parser", ps.Name, ps.Origin.File)
		}
	}
}

// TestLibraryFormatted checks that every file is in the canonical layout
// of `intelmq fmt`.
func TestLibraryFormatted(t *testing.T) {
	for _, p := range feeds.Paths() {
		src, err := fs.ReadFile(feeds.Files(), p)
		if err != nil {
			t.Fatal(err)
		}
		out, diags := lang.Format(p, src)
		if diags.HasErrors() {
			t.Errorf("%s: %s", p, diags.Error())
			continue
		}
		if string(out) != string(src) {
			t.Errorf("%s is not formatted; run intelmq fmt stdlib/feeds/%s", p, path.Dir(p))
		}
	}
}

// TestFilesHaveLicense checks the SPDX header of every file.
func TestFilesHaveLicense(t *testing.T) {
	for _, p := range feeds.Paths() {
		src, err := fs.ReadFile(feeds.Files(), p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(src), "# SPDX-License-Identifier: AGPL-3.0-or-later\n") {
			t.Errorf("%s does not start with the SPDX header", p)
		}
	}
}
