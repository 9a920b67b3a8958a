// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
)

// declarations are the symbol tables of the first pass, one per kind.
type declarations struct {
	feeds     map[string]*lang.Feed
	parsers   map[string]*lang.Parser
	bots      map[string]map[string]*lang.Bot // kind → name → block
	pipelines map[string]*lang.Pipeline
	// library holds the "kind.name" keys of the declarations taken from
	// Env.Library (see declareLibrary).
	library map[string]bool
}

func newDeclarations() declarations {
	return declarations{
		feeds:     map[string]*lang.Feed{},
		parsers:   map[string]*lang.Parser{},
		bots:      map[string]map[string]*lang.Bot{schema.KindExpert: {}, schema.KindOutput: {}, schema.KindBot: {}},
		pipelines: map[string]*lang.Pipeline{},
		library:   map[string]bool{},
	}
}

// declare fills the symbol tables and reports duplicate names.
func (c *compiler) declare(files []*lang.File) {
	c.decl = newDeclarations()
	c.declareInto(&c.decl, files)
}

// declareInto adds the declarations of files to d and reports duplicate
// names.
func (c *compiler) declareInto(d *declarations, files []*lang.File) {
	for _, f := range files {
		for _, x := range f.Feeds {
			if first, dup := d.feeds[x.Name]; dup {
				c.duplicate(schema.KindFeed, x.Name, x.NameRange, first.DeclRange)
				continue
			}
			d.feeds[x.Name] = x
		}
		for _, x := range f.Parsers {
			if first, dup := d.parsers[x.Name]; dup {
				c.duplicate(schema.KindParser, x.Name, x.NameRange, first.DeclRange)
				continue
			}
			d.parsers[x.Name] = x
		}
		for _, x := range f.Bots {
			if first, dup := d.bots[x.Kind][x.Name]; dup {
				c.duplicate(x.Kind, x.Name, x.NameRange, first.DeclRange)
				continue
			}
			d.bots[x.Kind][x.Name] = x
		}
		for _, x := range f.Pipelines {
			if first, dup := d.pipelines[x.Name]; dup {
				c.duplicate(schema.KindPipeline, x.Name, x.NameRange, first.DeclRange)
				continue
			}
			d.pipelines[x.Name] = x
		}
	}
}

func (c *compiler) duplicate(kind, name string, subject, first hcl.Range) {
	c.errorf(subject, "Duplicate "+kind,
		fmt.Sprintf("%s named %q was already declared at %s. Names are unique per kind; rename or remove one of them.",
			capitalize(withArticle(kind)), name, at(first)))
}

// names returns the sorted keys of a symbol table.
func names[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// declared reports whether kind.name is declared.
func (c *compiler) declared(kind, name string) bool {
	return c.decl.has(kind, name)
}

// has reports whether d holds kind.name.
func (d *declarations) has(kind, name string) bool {
	switch kind {
	case schema.KindFeed:
		_, ok := d.feeds[name]
		return ok
	case schema.KindParser:
		_, ok := d.parsers[name]
		return ok
	case schema.KindPipeline:
		_, ok := d.pipelines[name]
		return ok
	}
	_, ok := d.bots[kind][name]
	return ok
}

// declaredNames returns the sorted names declared for kind, those of the
// whole library included, for suggestions.
func (c *compiler) declaredNames(kind string) []string {
	out := c.decl.names(kind)
	for _, n := range c.lib.names(kind) {
		if !c.decl.has(kind, n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// names returns the sorted names d holds for kind.
func (d *declarations) names(kind string) []string {
	switch kind {
	case schema.KindFeed:
		return names(d.feeds)
	case schema.KindParser:
		return names(d.parsers)
	case schema.KindPipeline:
		return names(d.pipelines)
	}
	return names(d.bots[kind])
}

// resolveRef checks that ref names a declared block and marks it used. It
// reports "Unknown <kind>" with a suggestion otherwise.
func (c *compiler) resolveRef(ref *lang.Ref) bool {
	if ref == nil {
		return false
	}
	if c.declared(ref.Kind, ref.Name) {
		c.used[ref.Kind+"."+ref.Name] = true
		return true
	}
	cands := c.declaredNames(ref.Kind)
	detail := fmt.Sprintf("There is no %s named %q.", ref.Kind, ref.Name)
	if s := didyoumean.NameSuggestion(ref.Name, cands); s != "" {
		detail += fmt.Sprintf(" Did you mean %s.%s?", ref.Kind, s)
	} else if len(cands) > 0 {
		detail += fmt.Sprintf(" The declared %ss are: %s.", ref.Kind, joinNames(ref.Kind, cands))
	} else {
		detail += fmt.Sprintf(" Declare it with %s %s block.", article(ref.Kind), ref.Kind)
	}
	c.errorf(ref.Range, "Unknown "+ref.Kind, detail)
	return false
}

func joinNames(kind string, ns []string) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += ", "
		}
		if i == 8 {
			return s + fmt.Sprintf("and %d more", len(ns)-i)
		}
		s += kind + "." + n
	}
	return s
}

// article returns "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
