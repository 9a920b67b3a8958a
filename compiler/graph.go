// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
)

// graph is the state of the graph pass.
type graph struct {
	nodes   map[string]*plan.Node
	entries map[string]*plan.Node // pipeline → first node
	lasts   map[string]*plan.Node // pipeline → node evaluating its routes
	decl    map[string]hcl.Range  // node id → declaration, for conflicts
}

// buildGraph checks the pipelines for cycles and builds the bot graph:
// collectors → parsers → each pipeline's experts → routes → outputs.
func (c *compiler) buildGraph() {
	if c.checkCycles() {
		return
	}
	g := &graph{nodes: map[string]*plan.Node{}, entries: map[string]*plan.Node{}, lasts: map[string]*plan.Node{}, decl: map[string]hcl.Range{}}
	for _, name := range names(c.pipes) {
		c.pipelineNodes(g, c.pipes[name])
	}
	for _, name := range names(c.pipes) {
		c.routeNodes(g, c.pipes[name])
	}
	c.feedNodes(g)
	for _, id := range names(g.nodes) {
		c.plan.Nodes = append(c.plan.Nodes, g.nodes[id])
	}
}

// node adds a node, reporting an ID two declarations share.
func (c *compiler) node(g *graph, n *plan.Node, decl hcl.Range) *plan.Node {
	if old, dup := g.nodes[n.ID]; dup {
		if old.Kind == n.Kind && old.Bot == n.Bot && old.Feed == n.Feed {
			return old
		}
		c.errorf(decl, "Conflicting bot ids", fmt.Sprintf(
			"This declaration and the one at %s both become the IntelMQ bot %q. Rename one of them.", at(g.decl[n.ID]), n.ID))
		return old
	}
	g.nodes[n.ID] = n
	g.decl[n.ID] = decl
	return n
}

func (c *compiler) pipelineNodes(g *graph, p *plan.Pipeline) {
	decl := c.pipeInfo[p.Name].decl
	var prev *plan.Node
	for _, b := range p.Experts {
		n := c.node(g, &plan.Node{ID: p.Name + "-" + b.Name + "-expert", Kind: plan.KindExpert, Bot: b, Pipeline: p, Origin: b.Origin}, decl.NameRange)
		if prev == nil {
			g.entries[p.Name] = n
		} else {
			prev.Out = []*plan.Switch{{Cases: []*plan.Case{{Path: defaultPath, To: []*plan.Node{n}, Origin: p.Origin}}}}
		}
		prev = n
	}
	if prev == nil {
		prev = c.node(g, &plan.Node{ID: p.Name + "-router", Kind: plan.KindRouter, Pipeline: p, Origin: p.Origin}, decl.NameRange)
		g.entries[p.Name] = prev
	}
	g.lasts[p.Name] = prev
}

// routeNodes gives a pipeline's last node one switch made of its routes.
func (c *compiler) routeNodes(g *graph, p *plan.Pipeline) {
	info := c.pipeInfo[p.Name]
	sw := &plan.Switch{}
	for _, r := range p.Routes {
		cs := &plan.Case{Path: r.Name, When: r.When, Origin: r.Origin}
		for _, ref := range info.targets[r] {
			var to *plan.Node
			if ref.Kind == schema.KindPipeline {
				to = g.entries[ref.Name]
			} else {
				b := c.botsOut[ref.Kind+"."+ref.Name]
				to = c.node(g, &plan.Node{ID: b.Name + "-output", Kind: plan.KindOutput, Bot: b, Origin: b.Origin}, ref.Range)
			}
			if to != nil {
				cs.To = append(cs.To, to)
				r.To = append(r.To, to)
			}
		}
		sw.Cases = append(sw.Cases, cs)
	}
	if len(sw.Cases) > 0 {
		last := g.lasts[p.Name]
		last.Out = append(last.Out, sw)
	}
}

// feedNodes adds a collector and a parser node for every feed a pipeline
// lists; the parser fans out to each such pipeline.
func (c *compiler) feedNodes(g *graph) {
	for _, f := range c.plan.Feeds {
		var sws []*plan.Switch
		for _, pname := range names(c.pipes) {
			for _, pf := range c.pipes[pname].Feeds {
				if pf == f && g.entries[pname] != nil {
					sws = append(sws, &plan.Switch{Cases: []*plan.Case{{Path: defaultPath, To: []*plan.Node{g.entries[pname]}, Origin: f.Origin}}})
				}
			}
		}
		if len(sws) == 0 {
			continue
		}
		decl := c.decl.feeds[f.Name].NameRange
		parser := c.node(g, &plan.Node{ID: f.Name + "-parser", Kind: plan.KindParser, Feed: f, Bot: f.ParserBot, Out: sws, Origin: f.Origin}, decl)
		if f.Collector != nil {
			c.node(g, &plan.Node{ID: f.Name + "-collector", Kind: plan.KindCollector, Feed: f, Bot: f.Collector,
				Out:    []*plan.Switch{{Cases: []*plan.Case{{Path: defaultPath, To: []*plan.Node{parser}, Origin: f.Collector.Origin}}}},
				Origin: f.Collector.Origin}, decl)
		}
	}
}

// checkCycles reports pipelines that route back to themselves, directly or
// through other pipelines. It returns whether it found one.
func (c *compiler) checkCycles() bool {
	const (
		unvisited = iota
		active
		done
	)
	state := map[string]int{}
	found := false
	var stack []string
	var visit func(name string)
	visit = func(name string) {
		state[name] = active
		stack = append(stack, name)
		info := c.pipeInfo[name]
		for _, r := range c.pipes[name].Routes {
			for _, ref := range info.targets[r] {
				if ref.Kind != schema.KindPipeline {
					continue
				}
				switch state[ref.Name] {
				case active:
					c.cycle(stack, ref)
					found = true
				case unvisited:
					visit(ref.Name)
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
	}
	for _, name := range names(c.pipes) {
		if state[name] == unvisited {
			visit(name)
		}
	}
	return found
}

func (c *compiler) cycle(stack []string, ref *lang.Ref) {
	start := 0
	for i, n := range stack {
		if n == ref.Name {
			start = i
		}
	}
	var path []string
	for _, n := range stack[start:] {
		path = append(path, "pipeline."+n)
	}
	path = append(path, "pipeline."+ref.Name)
	c.errorf(ref.Range, "Routing cycle", fmt.Sprintf(
		"Events would loop forever: %s. Route to an output, or drop the events, instead.", strings.Join(path, " → ")))
}
