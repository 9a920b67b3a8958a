// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"reflect"

	"github.com/expr-lang/expr/ast"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// parserHint tells a feed's collector how the feed's parser reads a report
// (botapi.ParserHint), or nil when the feed has no parser in the plan.
func parserHint(f *plan.Feed) *botapi.ParserHint {
	switch {
	case f.ParserBot != nil:
		return &botapi.ParserHint{Whole: true}
	case f.Parser == nil:
		return nil
	}
	p := f.Parser
	h := &botapi.ParserHint{}
	switch in := p.Input; in.Format {
	case plan.FormatCSV:
		if in.CSV != nil {
			h.HeaderRows = in.CSV.SkipLines
			if in.CSV.Header {
				h.HeaderRows++
			}
		}
	case plan.FormatLines:
		if in.Lines != nil {
			h.HeaderRows = in.Lines.SkipLines
		}
	case plan.FormatJSONLines, plan.FormatKeyValue:
	default: // one document: JSON, an HTML table
		h.Whole = true
	}
	w := exprWalker{pkg: reflect.TypeFor[plan.Parser]().PkgPath(),
		names: map[string]bool{plan.VarNameText: true, plan.VarNameComments: true, plan.VarNameLineEnd: true}}
	if len(p.Reject) > 0 || w.reads(reflect.ValueOf(p)) {
		h.Whole = true
	}
	return h
}

// exprWalker finds the expressions of a plan that read some variables.
type exprWalker struct {
	pkg   string          // the plan package's path: only its structs hold expressions
	names map[string]bool // the variables looked for
}

// reads reports whether any expression reachable from v reads one of
// w.names. It walks the plan's structs, pointers, slices and maps to every
// *plan.Expr, so a new place for expressions needs no change here.
func (w exprWalker) reads(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return false
		}
		if e, ok := v.Interface().(*plan.Expr); ok {
			return exprReads(e, w.names)
		}
		return w.reads(v.Elem())
	case reflect.Struct:
		if v.Type().PkgPath() != w.pkg {
			return false // a schema field, a regexp: no expressions inside
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && w.reads(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if k := v.Type().Elem().Kind(); k != reflect.Pointer && k != reflect.Struct && k != reflect.Interface {
			return false
		}
		for i := range v.Len() {
			if w.reads(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		if k := v.Type().Elem().Kind(); k != reflect.Pointer && k != reflect.Struct && k != reflect.Interface {
			return false
		}
		for it := v.MapRange(); it.Next(); {
			if w.reads(it.Value()) {
				return true
			}
		}
	}
	return false
}

// exprReads reports whether e's program reads a variable named in names.
func exprReads(e *plan.Expr, names map[string]bool) bool {
	if e == nil || e.Program == nil {
		return false
	}
	root := e.Program.Node()
	if root == nil {
		return false
	}
	v := &identFinder{names: names}
	ast.Walk(&root, v)
	return v.found
}

type identFinder struct {
	names map[string]bool
	found bool
}

func (f *identFinder) Visit(node *ast.Node) {
	if id, ok := (*node).(*ast.IdentifierNode); ok && f.names[id.Value] {
		f.found = true
	}
}
