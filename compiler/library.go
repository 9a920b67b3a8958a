// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"strings"

	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
)

// declareLibrary adds to the symbol tables the declarations of
// Env.Library that the user's declarations use, directly or through other
// library declarations, and those Env.Use names. A library declaration the
// user's files also declare (same kind and name) is shadowed: references
// resolve to the user's. The others are left out of the plan and raise no
// warning.
func (c *compiler) declareLibrary(env *Env) {
	c.lib = newDeclarations()
	if env == nil || len(env.Library) == 0 {
		return
	}
	c.declareInto(&c.lib, env.Library)
	var work []*lang.Ref
	for _, kind := range []string{schema.KindFeed, schema.KindParser, schema.KindPipeline} { // the kinds that refer to others
		for _, name := range c.decl.names(kind) {
			work = append(work, c.decl.refsOf(kind, name)...)
		}
	}
	for _, u := range env.Use {
		if kind, name, ok := strings.Cut(u, "."); ok {
			work = append(work, &lang.Ref{Kind: kind, Name: name})
		}
	}
	for len(work) > 0 {
		ref := work[len(work)-1]
		work = work[:len(work)-1]
		if c.decl.has(ref.Kind, ref.Name) || !c.lib.has(ref.Kind, ref.Name) {
			continue // the user's, already taken, or unknown (reported when resolved)
		}
		c.take(ref.Kind, ref.Name)
		work = append(work, c.decl.refsOf(ref.Kind, ref.Name)...)
	}
}

// take copies the library's kind.name into the symbol tables.
func (c *compiler) take(kind, name string) {
	d, lib := &c.decl, &c.lib
	switch kind {
	case schema.KindFeed:
		d.feeds[name] = lib.feeds[name]
	case schema.KindParser:
		d.parsers[name] = lib.parsers[name]
	case schema.KindPipeline:
		d.pipelines[name] = lib.pipelines[name]
	default:
		d.bots[kind][name] = lib.bots[kind][name]
	}
	d.library[kind+"."+name] = true
}

// refsOf returns the references the declaration kind.name makes: a feed's
// parser, a pipeline's feeds, experts and route destinations. Other kinds
// refer to nothing.
func (d *declarations) refsOf(kind, name string) []*lang.Ref {
	switch kind {
	case schema.KindFeed:
		if p := d.feeds[name].Parser; p != nil {
			return []*lang.Ref{p}
		}
	case schema.KindParser:
		if b := d.parsers[name].Extends; b != nil {
			return []*lang.Ref{b}
		}
	case schema.KindPipeline:
		p := d.pipelines[name]
		var out []*lang.Ref
		out = append(out, refs(p.Feeds)...)
		out = append(out, refs(p.Experts)...)
		for _, r := range p.Routes {
			out = append(out, refs(r.To)...)
		}
		return out
	}
	return nil
}

// fromLibrary reports whether kind.name was taken from Env.Library.
func (c *compiler) fromLibrary(kind, name string) bool {
	return c.decl.library[kind+"."+name]
}
