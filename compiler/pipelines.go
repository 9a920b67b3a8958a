// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
)

// defaultPath is IntelMQ's default path name.
const defaultPath = "_default"

// pipelineInfo keeps what the graph pass needs beyond the plan.
type pipelineInfo struct {
	decl    *lang.Pipeline
	targets map[*plan.Route][]*lang.Ref // resolved route destinations
}

// lowerPipelines resolves each pipeline's feeds, experts and routes.
func (c *compiler) lowerPipelines() {
	c.pipeInfo = map[string]*pipelineInfo{}
	for _, name := range names(c.decl.pipelines) {
		lp := c.decl.pipelines[name]
		p := &plan.Pipeline{Name: lp.Name, Origin: origin(lp.DeclRange)}
		info := &pipelineInfo{decl: lp, targets: map[*plan.Route][]*lang.Ref{}}
		for _, ref := range refs(lp.Feeds) {
			if c.resolveRef(ref) {
				p.Feeds = append(p.Feeds, c.feeds[ref.Name])
			}
		}
		for _, ref := range refs(lp.Experts) {
			if b := c.botRef(ref, plan.KindExpert, "an expert", "experts"); b != nil {
				p.Experts = append(p.Experts, b)
			}
		}
		c.checkUniqueRefs(lp.Feeds)
		c.checkUniqueRefs(lp.Experts)
		c.lowerRoutes(lp, p, info)
		c.pipes[name] = p
		c.pipeInfo[name] = info
		c.plan.Pipelines = append(c.plan.Pipelines, p)
	}
}

func refs(l *lang.RefList) []*lang.Ref {
	if l == nil {
		return nil
	}
	return l.Refs
}

// botRef resolves a reference to an expert, output or bot block and checks
// the bot's kind.
func (c *compiler) botRef(ref *lang.Ref, want plan.BotKind, article, attr string) *plan.Bot {
	if !c.resolveRef(ref) {
		return nil
	}
	b := c.botsOut[ref.Kind+"."+ref.Name]
	if b == nil {
		return nil // its own errors were reported
	}
	if b.Kind != want {
		c.errorf(ref.Range, "Wrong bot kind", fmt.Sprintf(
			"The reference %s names the %s bot %s, but %s takes %s. Use a bot of kind %s here.", ref, b.Kind, b.Type, attr, article, want))
		return nil
	}
	return b
}

// checkUniqueRefs reports a reference listed twice.
func (c *compiler) checkUniqueRefs(l *lang.RefList) {
	seen := map[string]hcl.Range{}
	for _, ref := range refs(l) {
		if first, dup := seen[ref.String()]; dup {
			c.errorf(ref.Range, "Duplicate reference", fmt.Sprintf(
				"%s is already listed at %s; list it once.", ref, at(first)))
			continue
		}
		seen[ref.String()] = ref.Range
	}
}

func (c *compiler) lowerRoutes(lp *lang.Pipeline, p *plan.Pipeline, info *pipelineInfo) {
	sc := c.eventScope()
	seen := map[string]hcl.Range{}
	var catchAll *lang.Route
	for i, lr := range lp.Routes {
		r := &plan.Route{Name: fmt.Sprintf("route-%d", i+1), Drop: lr.Drop != nil && lr.Drop.Value, Origin: origin(lr.DeclRange)}
		switch {
		case lr.Name != nil:
			r.Name = lr.Name.Value
		case lr.When == nil && i == len(lp.Routes)-1:
			r.Name = defaultPath
		}
		nameRange := lr.DeclRange
		if lr.Name != nil {
			nameRange = lr.Name.Range
		}
		if first, dup := seen[r.Name]; dup {
			c.errorf(nameRange, "Duplicate route name", fmt.Sprintf(
				"The pipeline already has a route named %q at %s; route names are IntelMQ path names and must be unique.", r.Name, at(first)))
		}
		seen[r.Name] = nameRange
		if catchAll != nil {
			c.warnf(lr.DeclRange, "Unreachable route", fmt.Sprintf(
				"The route at %s has no condition and takes every event, so this route never receives any. Move it before that route, or remove it.",
				at(catchAll.DeclRange)))
		}
		if lr.When != nil {
			r.When = c.routeCondition(lr.When, sc)
		} else if catchAll == nil {
			catchAll = lr
		}
		info.targets[r] = c.routeTargets(lr)
		p.Routes = append(p.Routes, r)
	}
}

// routeTargets resolves a route's destinations: outputs, output bots and
// pipelines.
func (c *compiler) routeTargets(lr *lang.Route) []*lang.Ref {
	c.checkUniqueRefs(lr.To)
	var out []*lang.Ref
	for _, ref := range refs(lr.To) {
		switch ref.Kind {
		case schema.KindPipeline:
			if c.resolveRef(ref) {
				out = append(out, ref)
			}
		default:
			if c.botRef(ref, plan.KindOutput, "outputs or pipelines", "to") != nil {
				out = append(out, ref)
			}
		}
	}
	return out
}
