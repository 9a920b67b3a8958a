// SPDX-License-Identifier: AGPL-3.0-or-later

package plan

import (
	"fmt"

	"github.com/expr-lang/expr/vm"
)

// Plan is a compiled set of feeds, parsers, bots and pipelines.
//
// The slices are sorted by name (Nodes by ID), so iterating a Plan is
// deterministic. A feed, parser or bot that no pipeline uses is still listed:
// `intelmq parse` runs parsers on their own.
type Plan struct {
	Feeds     []*Feed
	Parsers   []*Parser
	Bots      []*Bot // experts, outputs and generic Go bots declared at top level
	Pipelines []*Pipeline
	// Nodes is the bot graph: one node per IntelMQ bot instance (collectors,
	// parsers, experts, outputs, routers), with the paths between them.
	Nodes []*Node
}

// Feed returns the feed named name, or nil.
func (p *Plan) Feed(name string) *Feed {
	for _, f := range p.Feeds {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Parser returns the parser named name, or nil.
func (p *Plan) Parser(name string) *Parser {
	for _, x := range p.Parsers {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Node returns the node whose ID is id, or nil.
func (p *Plan) Node(id string) *Node {
	for _, n := range p.Nodes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// Origin is the place in the HCL source a plan element was declared: the
// runtime's stand-in for hcl.Range. Runtime errors wrap it so that a failure
// names the file:line:col of the declaration that caused it.
type Origin struct {
	File   string
	Line   int // 1-based
	Column int // 1-based, counted in characters
}

// String returns "file:line:col", or "" for the zero Origin.
func (o Origin) String() string {
	if o.File == "" && o.Line == 0 {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", o.File, o.Line, o.Column)
}

// Expr is one compiled expr-lang expression with its source.
type Expr struct {
	// Source is the expression text as written (inside the HCL string).
	Source string
	// Program is the compiled program; immutable and safe for concurrent use.
	Program *vm.Program
	// Type is the static result type the compiler inferred.
	Type VarType
	// Origin is where the expression starts in the HCL source.
	Origin Origin
}
