// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang/schema"
)

// warnUnused reports declarations that no event reaches and pipelines whose
// events reach no output. The library's declarations are not the user's to
// fix, so they raise none of these warnings.
func (c *compiler) warnUnused() {
	if c.diags.HasErrors() {
		return
	}
	for _, name := range names(c.decl.feeds) {
		if !c.used[schema.KindFeed+"."+name] && !c.fromLibrary(schema.KindFeed, name) {
			f := c.decl.feeds[name]
			c.warnf(f.NameRange, "Feed in no pipeline", fmt.Sprintf(
				"No pipeline lists feed.%s, so its events go nowhere. Add it to a pipeline's feeds, or remove it.", name))
		}
	}
	for _, kind := range []string{schema.KindExpert, schema.KindOutput, schema.KindBot} {
		for _, name := range names(c.decl.bots[kind]) {
			if !c.used[kind+"."+name] && !c.fromLibrary(kind, name) {
				b := c.decl.bots[kind][name]
				if pb := c.botsOut[kind+"."+name]; pb != nil && pb.Kind == plan.KindParser {
					c.warnf(b.NameRange, "Unused "+kind, fmt.Sprintf(
						"No feed reads its reports with %s.%s. Name it in a feed (parser = %s.%s), or remove it.", kind, name, kind, name))
					continue
				}
				c.warnf(b.NameRange, "Unused "+kind, fmt.Sprintf(
					"Nothing feeds %s.%s: no pipeline lists it among its experts or routes to it. Use it in a pipeline, or remove it.", kind, name))
			}
		}
	}
	for _, name := range names(c.pipes) {
		if !c.fromLibrary(schema.KindPipeline, name) {
			c.warnPipeline(name)
		}
	}
}

func (c *compiler) warnPipeline(name string) {
	p := c.pipes[name]
	decl := c.pipeInfo[name].decl
	if len(p.Feeds) == 0 && !c.used[schema.KindPipeline+"."+name] {
		c.warnf(decl.NameRange, "Pipeline without input", fmt.Sprintf(
			"The pipeline %s has no feeds and no route sends events to it, so it never runs. Add feeds = [feed.name].", name))
	}
	if len(p.Routes) == 0 {
		c.warnf(decl.NameRange, "Events reach no output", fmt.Sprintf(
			"The pipeline %s has no route, so every event is dropped after its experts. Add route { to = [output.name] }.", name))
		return
	}
	last := decl.Routes[len(decl.Routes)-1]
	for _, r := range decl.Routes {
		if r.When == nil {
			return
		}
	}
	c.warnf(last.DeclRange, "Events reach no output", fmt.Sprintf(
		"Every route of pipeline.%s has a condition, so events that match none are dropped. "+
			"Add a last route without when, e.g. route { to = [output.name] }, or one with drop = true to drop them on purpose.", name))
}
