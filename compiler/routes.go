// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// eventVar is the route-condition variable holding the flat field map.
const eventVar = "event"

// eventScope returns the scope of route conditions: each top-level segment
// of the event's field keys as a variable (nested maps for dotted keys),
// plus "event", the flat map.
func (c *compiler) eventScope() *scope {
	if c.escope != nil {
		return c.escope
	}
	sc := newScope("")
	sc.event = true
	for _, f := range c.schema.Fields(harmonization.Event) {
		top, _, dotted := strings.Cut(f.Key, ".")
		switch {
		case dotted || f.Type.Name() == harmonization.TypeJSONDict:
			sc.set(top, plan.VarMap)
		default:
			sc.set(top, fieldVarType(f))
		}
	}
	sc.set(eventVar, plan.VarMap)
	c.escope = sc
	return sc
}

// fieldVarType is the Go type a field's values have in expressions.
func fieldVarType(f *harmonization.Field) plan.VarType {
	switch f.Type.Name() {
	case harmonization.TypeInteger, harmonization.TypeASN:
		return plan.VarInt
	case harmonization.TypeFloat, harmonization.TypeAccuracy:
		return plan.VarFloat
	case harmonization.TypeBoolean:
		return plan.VarBool
	case harmonization.TypeJSON, harmonization.TypeJSONDict:
		return plan.VarAny
	}
	return plan.VarString
}

// routeCondition compiles a route's when: field references are checked
// against the schema, and the result must be a bool.
func (c *compiler) routeCondition(e *lang.Expr, sc *scope) *plan.Expr {
	tree, err := parser.ParseWithConfig(e.Source, c.parseConf())
	if err != nil {
		c.exprError(e, "Invalid expression syntax", err)
		return nil
	}
	fields, ok := c.checkFieldRefs(e, tree.Node)
	if !ok {
		return nil
	}
	x := c.compileExpr(e, sc)
	if x == nil {
		return nil
	}
	t := x.Type
	if t == plan.VarAny || t == plan.VarMap {
		if f := fields[tree.Node]; f != nil {
			t = fieldVarType(f)
		}
	}
	if t != plan.VarBool && t != plan.VarAny {
		c.errorf(e.Range, "Condition is not boolean", fmt.Sprintf(
			"The route condition %q gives %s, but it must give true or false, e.g. %q.",
			e.Source, withArticle(t), "classification.taxonomy == \"malicious-code\""))
		return nil
	}
	return x
}

// checkFieldRefs checks the dotted names of a route condition against the
// schema. It returns the field each complete chain names, keyed by its
// outermost node.
func (c *compiler) checkFieldRefs(e *lang.Expr, root ast.Node) (map[ast.Node]*harmonization.Field, bool) {
	v := &chainVisitor{inner: map[ast.Node]bool{}, callees: map[*ast.IdentifierNode]bool{}, locals: map[string]bool{}}
	ast.Walk(&root, v)
	fields := map[ast.Node]*harmonization.Field{}
	ok := true
	for _, n := range v.nodes {
		if v.inner[n] {
			continue
		}
		id, key := chain(n)
		if id == nil || v.callees[id] || v.locals[id.Value] || id.Value == eventVar {
			continue
		}
		if c.functions[id.Value] && key == id.Value {
			continue
		}
		from := id.Location().From
		r := e.SubRange(from, from+len([]rune(key)))
		if !c.eventScope().has(id.Value) || !c.fieldOrPrefix(key) {
			c.errorf(r, "Unknown field", fmt.Sprintf("The event has no field %q.%s", key, didyoumean.Suffix(key, c.fieldKeys)))
			ok = false
			continue
		}
		if f, err := c.schema.Field(harmonization.Event, key); err == nil {
			fields[n] = f
		}
	}
	return fields, ok
}

// fieldOrPrefix reports whether key is a field, an extra.* key, or the
// prefix of fields (source.geolocation).
func (c *compiler) fieldOrPrefix(key string) bool {
	if key == "extra" || strings.HasPrefix(key, "extra.") {
		return true
	}
	if _, err := c.schema.Field(harmonization.Event, key); err == nil {
		return true
	}
	for _, k := range c.fieldKeys {
		if strings.HasPrefix(k, key+".") {
			return true
		}
	}
	return false
}

// chain returns the root identifier and dotted text of an identifier or a
// chain of constant member accesses (source.geolocation.cc); nil when n is
// neither.
func chain(n ast.Node) (*ast.IdentifierNode, string) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return x, x.Value
	case *ast.MemberNode:
		prop, ok := x.Property.(*ast.StringNode)
		if !ok {
			return nil, ""
		}
		id, key := chain(x.Node)
		if id == nil {
			return nil, ""
		}
		return id, key + "." + prop.Value
	}
	return nil, ""
}

// chainVisitor collects identifiers and member nodes, marking those that
// are the inner part of a longer chain.
type chainVisitor struct {
	nodes   []ast.Node
	inner   map[ast.Node]bool
	callees map[*ast.IdentifierNode]bool
	locals  map[string]bool
}

func (v *chainVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		v.nodes = append(v.nodes, n)
	case *ast.MemberNode:
		v.nodes = append(v.nodes, n)
		v.inner[n.Node] = true
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			v.callees[id] = true
		}
	case *ast.VariableDeclaratorNode:
		v.locals[n.Name] = true
	}
}
