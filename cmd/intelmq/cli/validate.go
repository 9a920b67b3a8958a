// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
)

// compiled is the result of loading and compiling a set of paths.
type compiled struct {
	loader  *lang.Loader
	files   []*lang.File // the user's
	library []*lang.File // the shipped library's, unless --no-library
	plan    *plan.Plan
	diags   hcl.Diagnostics
	ioErr   bool // a path could not be read
}

// compileOptions say what is compiled besides the user's paths.
type compileOptions struct {
	// noLibrary leaves the shipped library (stdlib/feeds) out.
	noLibrary bool
	// use names library declarations to compile although the user's files
	// do not use them (compiler.Env.Use).
	use []string
}

// addLibraryFlag adds --no-library to the flags of a command that compiles
// a configuration.
func addLibraryFlag(fs *flag.FlagSet, opts *compileOptions) {
	fs.BoolVar(&opts.noLibrary, "no-library", false,
		"compile without the shipped library of parsers and feeds (\"intelmq feeds list\"); only the given paths are read")
}

// compilePaths reads paths (files or directories) and compiles them with
// the binary's schema, function catalogue and bot registry, and with the
// shipped library unless opts.noLibrary is set: the user's files may use
// its parsers and feeds by name, and replace any of them by declaring one
// of the same name.
func compilePaths(paths []string, opts compileOptions) (*compiled, error) {
	env, err := compilerEnv()
	if err != nil {
		return nil, err
	}
	c := &compiled{loader: lang.NewLoader()}
	c.files, c.diags = c.loader.LoadPaths(paths)
	for _, d := range c.diags {
		c.ioErr = c.ioErr || lang.IsIOError(d)
	}
	if c.ioErr {
		return c, nil
	}
	if !opts.noLibrary {
		var more hcl.Diagnostics
		c.library, more = loadLibrary(c.loader)
		c.diags = append(c.diags, more...)
		env.Library, env.Use = c.library, opts.use
	}
	p, more := compiler.Compile(c.files, env)
	c.plan = p
	c.diags = append(c.diags, more...)
	sortDiagnostics(c.diags)
	if c.diags.HasErrors() {
		c.plan = nil
	}
	return c, nil
}

// summary counts what validate reports in its last line.
type summary struct {
	feeds, parsers, outputs int
	errors, warnings        int
}

// summarize counts what c declares, a name declared twice once (the
// duplicate is an error of its own), and its diagnostics.
func summarize(c *compiled) summary {
	var s summary
	seen := map[string]bool{}
	first := func(kind, name string) bool {
		k := kind + "\x00" + name
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for _, f := range c.files {
		for _, x := range f.Feeds {
			if first("feed", x.Name) {
				s.feeds++
			}
		}
		for _, x := range f.Parsers {
			if first("parser", x.Name) {
				s.parsers++
			}
		}
		for _, b := range f.Bots {
			if b.Kind == schema.KindOutput && first("output", b.Name) {
				s.outputs++
			}
			// A bot block of a Go parser bot is a parser (parser = bot.x).
			if b.Kind == schema.KindBot && strings.HasPrefix(b.Type, "parser.") && first("bot", b.Name) {
				s.parsers++
			}
		}
	}
	for _, d := range c.diags {
		if d.Severity == hcl.DiagWarning {
			s.warnings++
		} else {
			s.errors++
		}
	}
	return s
}

// String returns "3 feeds, 3 parsers, 2 outputs: 0 errors, 1 warning".
func (s summary) String() string {
	return fmt.Sprintf("%s, %s, %s: %s, %s", plural(s.feeds, "feed"), plural(s.parsers, "parser"),
		plural(s.outputs, "output"), plural(s.errors, "error"), plural(s.warnings, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// pathArgs returns the path arguments, "." when there are none.
func pathArgs(fs *flag.FlagSet) []string {
	if fs.NArg() == 0 {
		return []string{"."}
	}
	return fs.Args()
}

func runValidate(env *Env, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "text", "output format: text, json, sarif or github")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	var opts compileOptions
	addLibraryFlag(fs, &opts)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq validate [--format text|json|sarif|github] [--strict] [--no-library] [paths...]")
		fmt.Fprintln(fs.Output(), "Checks feeds, parsers, bots and pipelines without running anything. Exit status: 0 valid, 1 findings, 2 usage or I/O error.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	switch *format {
	case "text", "json", "sarif", "github":
	default:
		env.Errorf("intelmq validate: unknown format %q; use text, json, sarif or github.", *format)
		return exitUsage
	}
	c, err := compilePaths(pathArgs(fs), opts)
	if err != nil {
		env.Errorf("intelmq validate: %v", err)
		return exitUsage
	}
	if *strict {
		for _, d := range c.diags {
			d.Severity = hcl.DiagError
		}
	}
	s := summarize(c)
	if err := writeReport(env, *format, c, s); err != nil {
		env.Errorf("intelmq validate: %v", err)
		return exitUsage
	}
	switch {
	case c.ioErr:
		return exitUsage
	case s.errors > 0:
		return exitFindings
	}
	return exitOK
}

func writeReport(env *Env, format string, c *compiled, s summary) error {
	switch format {
	case "json":
		return writeJSONReport(env.Stdout, s, c.diags)
	case "sarif":
		return writeSARIF(env.Stdout, c.diags)
	case "github":
		if err := writeGitHub(env.Stdout, c.diags); err != nil {
			return err
		}
		_, err := fmt.Fprintln(env.Stdout, s)
		return err
	}
	if err := writeTextDiagnostics(env.Stderr, c.loader.Files(), c.diags); err != nil {
		return err
	}
	var w io.Writer = env.Stdout
	if s.errors > 0 {
		w = env.Stderr
	}
	_, err := fmt.Fprintln(w, s)
	return err
}

// sortDiagnostics orders diagnostics by file, then position; the ones
// without a position come first, each group keeping its order.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
}
