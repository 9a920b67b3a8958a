// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"reflect"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/lang"
)

// resolveExtends replaces every parser that extends another with the
// merge of the two (see mergeParser), so the rest of the compiler sees
// plain parsers. An unknown base is reported as an unknown reference, a
// cycle of extends as an error.
func (c *compiler) resolveExtends() {
	done := map[string]bool{}
	for _, name := range names(c.decl.parsers) {
		c.extend(name, done, nil)
	}
}

// extend resolves the parser name, its bases first; chain holds the
// parsers being resolved, to find cycles. It returns false when name
// cannot be resolved.
func (c *compiler) extend(name string, done map[string]bool, chain []string) bool {
	p := c.decl.parsers[name]
	if p.Extends == nil {
		return true
	}
	for _, n := range chain {
		if n == name {
			path := ""
			for _, m := range append(chain, name) {
				if path != "" {
					path += " → "
				}
				path += "parser." + m
			}
			c.errorf(p.Extends.Range, "Cycle of extends", fmt.Sprintf(
				"The parsers extend each other in a circle (%s): a parser cannot start from itself. Remove one of these extends.", path))
			return false
		}
	}
	if done[name] {
		return true
	}
	done[name] = true
	if !c.resolveRef(p.Extends) || !c.extend(p.Extends.Name, done, append(chain, name)) {
		return false
	}
	// A base without an input block was reported when it was decoded.
	c.decl.parsers[name] = mergeParser(p, c.decl.parsers[p.Extends.Name])
	return true
}

// mergeParser returns child completed with base: every attribute and block
// child does not write is base's; one it writes replaces base's whole (a
// map is not merged entry by entry). skip and when exclude each other, so a
// child that writes one of them takes neither from base.
func mergeParser(child, base *lang.Parser) *lang.Parser {
	m := *child
	m.Extends = nil
	if child.Skip != nil || child.When != nil {
		b := *base
		b.Skip, b.When = nil, nil
		base = &b
	}
	fillFrom(reflect.ValueOf(&m).Elem(), reflect.ValueOf(base).Elem())
	return &m
}

// fillFrom sets every nil pointer, empty slice and (recursively) struct
// field of dst to src's, except the declaration's name and ranges.
func fillFrom(dst, src reflect.Value) {
	rangeType := reflect.TypeFor[hcl.Range]()
	for i := range dst.NumField() {
		f := dst.Field(i)
		if dst.Type().Field(i).Name == "Name" || f.Type() == rangeType {
			continue
		}
		switch f.Kind() {
		case reflect.Pointer:
			if f.IsNil() {
				f.Set(src.Field(i))
			}
		case reflect.Slice:
			if f.Len() == 0 {
				f.Set(src.Field(i))
			}
		case reflect.Struct:
			fillFrom(f, src.Field(i))
		}
	}
}
