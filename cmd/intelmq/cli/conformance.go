// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/conformance"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/feeds"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func runConformance(env *Env, args []string) int {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	verbose := fs.Bool("v", false, "also list passing, skipped and known-difference cases")
	only := fs.String("run", "", "only run the cases whose name contains this text")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq conformance [-v] [-run TEXT] DIR [paths...]")
		fmt.Fprintln(fs.Output(), "Replays IntelMQ's parser test cases recorded in DIR (its parsers/ directory of JSON cases)")
		fmt.Fprintln(fs.Output(), "against the shipped parser library, plus the parsers in paths, and the Go parser bots that name the module")
		fmt.Fprintln(fs.Output(), "they replace, and compares the events field by field.")
		fmt.Fprintln(fs.Output(), "Exit status: 0 no case failed, 1 some case failed, 2 usage or I/O error.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	if fs.NArg() < 1 {
		fs.Usage()
		return exitUsage
	}
	cases, err := conformance.LoadParserCases(fs.Arg(0))
	if err != nil {
		env.Errorf("intelmq conformance: %v", err)
		return exitUsage
	}
	env2, err := compilerEnv()
	if err != nil {
		env.Errorf("intelmq conformance: %v", err)
		return exitUsage
	}
	loader := lang.NewLoader()
	files, diags := loadLibrary(loader)
	if extra := fs.Args()[1:]; len(extra) > 0 {
		more, d := loader.LoadPaths(extra)
		files, diags = append(files, more...), append(diags, d...)
	}
	var p *plan.Plan
	if !diags.HasErrors() {
		var more hcl.Diagnostics
		p, more = compiler.Compile(files, env2)
		diags = append(diags, more...)
	}
	if diags.HasErrors() || p == nil {
		if err := writeTextDiagnostics(env.Stderr, loader.Files(), diags); err != nil {
			env.Errorf("intelmq conformance: %v", err)
		}
		return exitUsage
	}
	r := &conformance.Runner{Library: p.Parsers, Bots: parserBots(env2.Bots), Compile: compileOne(env2), Known: conformance.KnownDifferences()}
	var sum conformance.Summary
	for _, c := range cases {
		if *only != "" && !strings.Contains(c.Name, *only) {
			continue
		}
		res := r.Run(context.Background(), c)
		sum.Add(res)
		switch res.Status {
		case conformance.Fail:
			fmt.Fprintf(env.Stdout, "FAIL %s (parser %s)\n", c.Name, orNone(res.Parser))
			for _, pr := range res.Problems {
				fmt.Fprintf(env.Stdout, "    %s\n", pr)
			}
		case conformance.Known:
			fmt.Fprintf(env.Stdout, "KNOWN %s (parser %s): %s\n", c.Name, res.Parser, res.Reason)
		case conformance.Pass:
			if *verbose {
				fmt.Fprintf(env.Stdout, "ok   %s (parser %s)\n", c.Name, res.Parser)
			}
		case conformance.Skip:
			if *verbose {
				fmt.Fprintf(env.Stdout, "skip %s: %s\n", c.Name, res.Reason)
			}
		}
	}
	fmt.Fprintln(env.Stdout, sum)
	if sum.Failed > 0 {
		return exitFindings
	}
	return exitOK
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// compilerEnv is what the compiler checks against: the binary's schema,
// functions and bots.
func compilerEnv() (*compiler.Env, error) {
	bots, err := botRegistry()
	if err != nil {
		return nil, err
	}
	return &compiler.Env{Schema: harmonization.Default(), Bots: bots, ExprOptions: funcs.Options()}, nil
}

// loadLibrary parses the shipped library's files, named under feeds.Root.
func loadLibrary(loader *lang.Loader) ([]*lang.File, hcl.Diagnostics) {
	var files []*lang.File
	var diags hcl.Diagnostics
	for _, p := range feeds.Paths() {
		src, err := fs.ReadFile(feeds.Files(), p)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read the shipped library", Detail: err.Error()})
			continue
		}
		f, d := loader.Parse(path.Join(feeds.Root, p), src)
		diags = append(diags, d...)
		if f != nil {
			files = append(files, f)
		}
	}
	return files, diags
}

// compileOne compiles a parser the conformance runner wrote on its own.
func compileOne(env *compiler.Env) conformance.CompileFunc {
	return func(name string, src []byte) ([]*plan.Parser, error) {
		loader := lang.NewLoader()
		f, diags := loader.Parse(name, src)
		if diags.HasErrors() {
			return nil, diags
		}
		p, more := compiler.Compile([]*lang.File{f}, env)
		if more.HasErrors() {
			return nil, more
		}
		if p == nil {
			return nil, errors.New("no plan")
		}
		return p.Parsers, nil
	}
}

// parserBots returns the registered Go parser bots that name the IntelMQ
// module they replace, for the conformance runner.
func parserBots(r *botapi.Registry) []conformance.ParserBot {
	var out []conformance.ParserBot
	for _, id := range r.IDs(botapi.KindParser) {
		spec, _ := r.Lookup(id)
		if ctor := r.Constructor(id); spec.IntelMQModule != "" && ctor != nil {
			out = append(out, conformance.ParserBot{Spec: spec, New: ctor})
		}
	}
	return out
}
