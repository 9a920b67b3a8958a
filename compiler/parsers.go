// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// lowerParsers type-checks and lowers every parser.
func (c *compiler) lowerParsers() {
	for _, name := range names(c.decl.parsers) {
		p := c.lowerParser(c.decl.parsers[name])
		c.parsers[name] = p
		c.plan.Parsers = append(c.plan.Parsers, p)
	}
}

func (c *compiler) lowerParser(lp *lang.Parser) *plan.Parser {
	p := &plan.Parser{Name: lp.Name, Origin: origin(lp.DeclRange)}
	if lp.Description != nil {
		p.Doc = lp.Description.Value
	}
	if lp.IntelMQModule != nil {
		p.IntelMQModule = lp.IntelMQModule.Value
	}
	sc := newScope("column")
	sc.open = true
	if lp.Input != nil {
		p.Input, sc = c.lowerInput(lp.Input)
	}
	sc.set(plan.VarNameReport, plan.VarMap)
	sc.set(plan.VarNameLine, plan.VarString)
	sc.set(plan.VarNameLineNumber, plan.VarInt)
	c.lowerLet(lp, p, sc)
	reportVars := declareReportVars(sc)

	p.Reject = c.rejects(lp, p, sc, reportVars)
	p.Skip = c.recordCondition(lp, sc)
	fs := fieldSet{}
	p.Set = c.constants(lp.Set, fs)
	p.Spread = c.spread(lp.Spread, sc)
	p.Map = c.mappings(lp.Map, sc, fs, true)
	p.Map = append(p.Map, c.mappings(lp.Optional, sc, fs, false)...)
	c.lowerGeneric(lp, p, sc, fs)
	p.Map = append(p.Map, c.overwrites(lp.Overwrite, sc, fs)...)
	for _, le := range lp.Each {
		if e := c.lowerEach(le, sc, fs); e != nil {
			p.Each = append(p.Each, e)
		}
	}
	p.Raw = c.rawExpr(lp.Raw, sc, fs)
	p.DefaultFields = append(p.DefaultFields, c.constants(lp.DefaultFields, fieldSet{})...)
	p.CopyCollectorProvidedFields = c.copyFields(lp.CopyFields)
	p.TextVars = usedReportVars(sc, reportVars)
	p.Vars = sc.planVars()
	if len(p.Each) > 0 {
		p.Vars = append(p.Vars, plan.Var{Name: plan.VarNameIndex, Type: plan.VarInt}, plan.Var{Name: plan.VarNameItem, Type: plan.VarAny})
		sort.Slice(p.Vars, func(i, j int) bool { return p.Vars[i].Name < p.Vars[j].Name })
	}
	return p
}

// lowerLet declares the parser's constants and tables.
func (c *compiler) lowerLet(lp *lang.Parser, p *plan.Parser, sc *scope) {
	if lp.Let == nil {
		return
	}
	for _, e := range lp.Let.Entries {
		if !identPattern.MatchString(e.Key) {
			c.errorf(e.KeyRange, "Invalid name", fmt.Sprintf(
				"The name %q cannot be used in expressions: a name starts with a letter or underscore and holds only letters, digits and underscores.", e.Key))
			continue
		}
		if sc.has(e.Key) || c.functions[e.Key] {
			c.errorf(e.KeyRange, "Reserved name", fmt.Sprintf(
				"The name %q is already a column, a variable or a function of this parser; choose another name.", e.Key))
			continue
		}
		v, t := goValue(e.Value)
		sc.setValue(e.Key, t, v)
		p.Consts = append(p.Consts, plan.Const{Name: e.Key, Type: t, Value: v, Origin: origin(e.KeyRange)})
	}
}

// goValue converts a constant to the Go value bound in expressions.
func goValue(v cty.Value) (any, plan.VarType) {
	if v.IsNull() {
		return nil, plan.VarAny
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString(), plan.VarString
	case t == cty.Number:
		bf := v.AsBigFloat()
		if i, acc := bf.Int64(); acc == 0 && bf.IsInt() {
			return int(i), plan.VarInt
		}
		f, _ := bf.Float64()
		return f, plan.VarFloat
	case t == cty.Bool:
		return v.True(), plan.VarBool
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			x, _ := goValue(e)
			out = append(out, x)
		}
		return out, plan.VarList
	}
	out := map[string]any{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		x, _ := goValue(e)
		out[k.AsString()] = x
	}
	return out, plan.VarMap
}

// recordCondition compiles skip, or when as its negation.
func (c *compiler) recordCondition(lp *lang.Parser, sc *scope) *plan.Expr {
	if lp.Skip != nil {
		return c.condition(lp.Skip, sc, "skip")
	}
	if lp.When == nil {
		return nil
	}
	when := c.condition(lp.When, sc, "when")
	if when == nil {
		return nil
	}
	neg := *lp.When
	neg.Source = "not (" + lp.When.Source + ")"
	neg.Exact = false
	return c.compileExpr(&neg, sc)
}

// condition compiles a bool expression.
func (c *compiler) condition(e *lang.Expr, sc *scope, what string) *plan.Expr {
	x := c.compileExpr(e, sc)
	if x == nil {
		return nil
	}
	if x.Type != plan.VarBool && x.Type != plan.VarAny {
		c.errorf(e.Range, "Condition is not boolean", fmt.Sprintf(
			"The %s condition %q gives %s, but it must give true or false, e.g. %q.", what, e.Source, withArticle(x.Type), "x == \"y\""))
		return nil
	}
	return x
}

// constants checks a set or default_fields map.
func (c *compiler) constants(m *lang.ValueMap, fs fieldSet) []plan.Constant {
	if m == nil {
		return nil
	}
	var out []plan.Constant
	for _, e := range m.Entries {
		k, ok := c.constant(e.Key, e.KeyRange, e.Value, e.Range)
		if ok {
			c.claim(fs, e.Key, e.KeyRange)
			out = append(out, k)
		}
	}
	return out
}

// mappings compiles a map or optional attribute.
func (c *compiler) mappings(m *lang.ExprMap, sc *scope, fs fieldSet, required bool) []*plan.Mapping {
	if m == nil {
		return nil
	}
	var out []*plan.Mapping
	for _, e := range m.Entries {
		if mp := c.mapping(e.Key, e.KeyRange, e.Expr, sc, fs); mp != nil {
			mp.Required = required
			out = append(out, mp)
		}
	}
	return out
}

// mapping compiles one field mapping; key may list alternatives "a|b".
func (c *compiler) mapping(key string, keyRange hcl.Range, e *lang.Expr, sc *scope, fs fieldSet) *plan.Mapping {
	var fields []*harmonization.Field
	for _, k := range strings.Split(key, "|") {
		if f := c.field(strings.TrimSpace(k), keyRange); f != nil {
			fields = append(fields, f)
			c.claim(fs, f.Key, keyRange)
		}
	}
	x := c.compileExpr(e, sc)
	if x == nil || len(fields) == 0 {
		return nil
	}
	t := x.Program.Node().Type()
	ok := false
	for _, f := range fields {
		ok = ok || acceptsType(f, t)
	}
	if !ok {
		f := fields[0]
		c.errorf(e.Range, "Incompatible expression type", fmt.Sprintf(
			"The expression %q gives %s, which cannot fill %s (%s). Convert it, e.g. with string(), or map it to another field.",
			e.Source, withArticle(goTypeName(t)), f.Key, f.Type.Name()))
		return nil
	}
	mp := &plan.Mapping{Value: x, Required: true, Origin: origin(keyRange)}
	for _, f := range fields {
		mp.Fields = append(mp.Fields, f.Key)
	}
	return mp
}

// lowerEach lowers an each block: its list and its own fields, which must
// not repeat the record-level ones.
func (c *compiler) lowerEach(le *lang.Each, sc *scope, recordFields fieldSet) *plan.Each {
	if le.List == nil {
		return nil // lang reported the missing list
	}
	list := c.compileExpr(le.List, sc)
	if list == nil {
		return nil
	}
	item := plan.VarAny
	switch list.Type {
	case plan.VarStringList:
		item = plan.VarString
	case plan.VarList, plan.VarAny:
	default:
		c.errorf(le.List.Range, "List expression is not a list", fmt.Sprintf(
			"The each list %q gives %s; it must give a list, e.g. split(categories, \";\").", le.List.Source, withArticle(list.Type)))
		return nil
	}
	inner := sc.child()
	inner.set(plan.VarNameItem, item)
	inner.set(plan.VarNameIndex, plan.VarInt)
	fs := fieldSet{}
	for k, r := range recordFields {
		fs[k] = r
	}
	e := &plan.Each{List: list, ItemType: item, Origin: origin(le.DeclRange)}
	if le.Skip != nil {
		e.Skip = c.condition(le.Skip, inner, "skip")
	}
	e.Set = c.constants(le.Set, fs)
	e.Map = c.mappings(le.Map, inner, fs, true)
	e.Map = append(e.Map, c.mappings(le.Optional, inner, fs, false)...)
	e.Raw = c.rawExpr(le.Raw, inner, fs)
	return e
}

// copyFields checks copy_collector_provided_fields against the report schema.
func (c *compiler) copyFields(l *lang.StringList) []string {
	if l == nil {
		return nil
	}
	var out []string
	for _, s := range l.Values {
		if _, err := c.schema.Field(harmonization.Report, s.Value); err != nil {
			c.errorf(s.Range, "Unknown report field", fmt.Sprintf(
				"Reports have no field %q, so there is nothing to copy.%s", s.Value,
				didyoumean.Suffix(s.Value, c.reportKeys())))
			continue
		}
		out = append(out, s.Value)
	}
	return out
}

func (c *compiler) reportKeys() []string { return c.schema.Keys(harmonization.Report) }
