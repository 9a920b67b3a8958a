// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"sort"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/conf"
	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Env is what the compiler checks declarations against.
type Env struct {
	// Schema is the harmonization schema; nil means harmonization.Default().
	Schema *harmonization.Schema
	// Bots holds the Specs of the Go bots the binary offers; nil means none.
	Bots *botapi.Registry
	// ExprOptions are the expr-lang options of the function catalogue
	// (stdlib/funcs.Options()); every expression is compiled with them.
	ExprOptions []expr.Option
	// Library holds the files of a shipped library (stdlib/feeds). Its
	// declarations are compiled only when the files passed to Compile use
	// them, directly or through another library declaration; a declaration
	// of the same kind and name in those files replaces the library's, and
	// an unused one raises no warning. Diagnostics in a library file carry
	// the name it was parsed under.
	Library []*lang.File
	// Use lists library declarations, as "kind.name" (parser.dataplane),
	// to compile although nothing in the files uses them, e.g. the parser
	// "intelmq parse --parser" runs. A name the library does not declare
	// is ignored.
	Use []string
}

// Compile checks files and lowers them to a Plan. The Plan is nil when
// there are errors; warnings come with a Plan.
func Compile(files []*lang.File, env *Env) (*plan.Plan, hcl.Diagnostics) {
	c := newCompiler(env)
	c.declare(files)
	c.declareLibrary(env)
	c.resolveExtends()
	c.resolveBots()
	c.lowerParsers()
	c.lowerFeeds()
	c.lowerPipelines()
	c.buildGraph()
	c.warnUnused()
	sortDiagnostics(c.diags)
	if c.diags.HasErrors() {
		return nil, c.diags
	}
	return c.finish(), c.diags
}

// compiler is the state of one Compile call.
type compiler struct {
	schema    *harmonization.Schema
	bots      *botapi.Registry
	exprOpts  []expr.Option
	functions map[string]bool // catalogue functions and expr builtins
	funcNames []string        // the same, sorted, for suggestions
	fieldKeys []string        // event field keys, sorted, for suggestions
	diags     hcl.Diagnostics
	pconf     *conf.Config

	decl    declarations
	lib     declarations // every declaration of Env.Library
	plan    *plan.Plan
	parsers map[string]*plan.Parser
	feeds   map[string]*plan.Feed
	botsOut map[string]*plan.Bot // key: kind + "." + name
	pipes   map[string]*plan.Pipeline
	// pipeInfo holds the route destinations of each pipeline.
	pipeInfo map[string]*pipelineInfo
	// escope is the route-condition scope, built once.
	escope *scope
	used   map[string]bool // references seen, key: kind + "." + name
}

func newCompiler(env *Env) *compiler {
	if env == nil {
		env = &Env{}
	}
	c := &compiler{
		schema:   env.Schema,
		bots:     env.Bots,
		exprOpts: env.ExprOptions,
		plan:     &plan.Plan{},
		parsers:  map[string]*plan.Parser{},
		feeds:    map[string]*plan.Feed{},
		botsOut:  map[string]*plan.Bot{},
		pipes:    map[string]*plan.Pipeline{},
		used:     map[string]bool{},
	}
	if c.schema == nil {
		c.schema = harmonization.Default()
	}
	if c.bots == nil {
		c.bots = botapi.NewRegistry()
	}
	c.fieldKeys = c.schema.Keys(harmonization.Event)
	c.functions = functionNames(c.exprOpts)
	for n := range c.functions {
		c.funcNames = append(c.funcNames, n)
	}
	sort.Strings(c.funcNames)
	return c
}

// functionNames returns the names of the functions the options define plus
// expr-lang's builtins.
func functionNames(opts []expr.Option) map[string]bool {
	cfg := conf.CreateNew()
	for _, op := range opts {
		op(cfg)
	}
	names := map[string]bool{}
	for n := range cfg.Functions {
		names[n] = true
	}
	for n := range cfg.Builtins {
		if !cfg.Disabled[n] {
			names[n] = true
		}
	}
	return names
}

func (c *compiler) add(d *hcl.Diagnostic) { c.diags = append(c.diags, d) }

func (c *compiler) errorf(subject hcl.Range, summary, detail string) {
	c.add(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject.Ptr()})
}

func (c *compiler) warnf(subject hcl.Range, summary, detail string) {
	c.add(&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: detail, Subject: subject.Ptr()})
}

// origin converts a range to a plan origin.
func origin(r hcl.Range) plan.Origin {
	return plan.Origin{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column}
}

// finish sorts the plan's slices.
func (c *compiler) finish() *plan.Plan {
	p := c.plan
	sort.Slice(p.Feeds, func(i, j int) bool { return p.Feeds[i].Name < p.Feeds[j].Name })
	sort.Slice(p.Parsers, func(i, j int) bool { return p.Parsers[i].Name < p.Parsers[j].Name })
	sort.Slice(p.Bots, func(i, j int) bool {
		if p.Bots[i].Kind != p.Bots[j].Kind {
			return p.Bots[i].Kind < p.Bots[j].Kind
		}
		return p.Bots[i].Name < p.Bots[j].Name
	})
	sort.Slice(p.Pipelines, func(i, j int) bool { return p.Pipelines[i].Name < p.Pipelines[j].Name })
	sort.Slice(p.Nodes, func(i, j int) bool { return p.Nodes[i].ID < p.Nodes[j].ID })
	return p
}

// sortDiagnostics orders diagnostics by file and position, keeping the
// order of diagnostics at the same place; those without a range come first.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
}

// at formats a range's start as "file:line:col" for diagnostic details.
func at(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}
