// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/lang"
)

// scope is the typed environment a group of expressions is compiled in.
type scope struct {
	// vars maps each variable to a typed zero value (expr.Env).
	vars map[string]any
	// types are the plan types of vars, for plan.Parser.Vars.
	types map[string]plan.VarType
	// columns are the record's names (columns or keys) for suggestions.
	columns []string
	// open means names that are not variables are record keys (JSON
	// without declared keys): they compile as any and are nil when absent.
	open bool
	// what names the record's names in diagnostics: "column" or "key".
	what string
	// event marks the route-condition scope, where dotted names are fields.
	event bool
	// untyped says some variable is any-typed (see set).
	untyped bool
	// openType is the type of the record names an open scope finds.
	openType plan.VarType
	// found holds the record names the expressions of an open scope use,
	// with openType; shared with child scopes, so that the runtime binds
	// them (see planVars).
	found map[string]plan.VarType
	// note ends the diagnostic of an unknown name.
	note string
	// used holds the declared names the expressions read; shared with
	// child scopes.
	used map[string]bool
}

func newScope(what string) *scope {
	return &scope{vars: map[string]any{}, types: map[string]plan.VarType{}, what: what,
		found: map[string]plan.VarType{}, used: map[string]bool{}}
}

// set declares a variable. An any-typed variable is left out of the expr
// environment, where a nil value would give it the type of nil; expr then
// types it as interface{} through AllowUndefinedVariables, which is safe
// because checkNames has already rejected every unknown name.
func (s *scope) set(name string, t plan.VarType) {
	s.types[name] = t
	if t == plan.VarAny {
		s.untyped = true
		return
	}
	s.vars[name] = t.Zero()
}

// setValue declares a variable with a value (a constant or table).
func (s *scope) setValue(name string, t plan.VarType, v any) {
	s.types[name] = t
	if v == nil {
		s.untyped = true
		return
	}
	s.vars[name] = v
}

// has reports whether name is a declared variable.
func (s *scope) has(name string) bool {
	_, ok := s.types[name]
	return ok
}

// child returns a copy of s to add block-local variables to.
func (s *scope) child() *scope {
	n := *s
	n.vars = make(map[string]any, len(s.vars)+2)
	n.types = make(map[string]plan.VarType, len(s.types)+2)
	for k, v := range s.vars {
		n.vars[k] = v
	}
	for k, v := range s.types {
		n.types[k] = v
	}
	return &n
}

// planVars returns the scope's variables, and the record names its open
// expressions use, sorted by name.
func (s *scope) planVars() []plan.Var {
	out := make([]plan.Var, 0, len(s.types)+len(s.found))
	for n, t := range s.types {
		out = append(out, plan.Var{Name: n, Type: t})
	}
	for n, t := range s.found {
		if _, declared := s.types[n]; !declared {
			out = append(out, plan.Var{Name: n, Type: t})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// parseConf returns an expr config with the catalogue applied, for
// parsing; it is built once per Compile and only read by the parser.
func (c *compiler) parseConf() *conf.Config {
	if c.pconf == nil {
		c.pconf = conf.CreateNew()
		for _, op := range c.exprOpts {
			op(c.pconf)
		}
	}
	return c.pconf
}

// compileExpr compiles e once in sc. It returns nil after reporting the
// problem when e does not parse, names something unknown or does not
// type-check.
func (c *compiler) compileExpr(e *lang.Expr, sc *scope) *plan.Expr {
	opts := []expr.Option{expr.Env(sc.vars), c.catalogue()}
	if sc.open || sc.event || sc.untyped {
		opts = append(opts, expr.AllowUndefinedVariables())
	}
	if sc.open {
		if p := c.builtinKeys(e.Source, sc); p != nil {
			opts = append(opts, expr.Patch(p))
		}
	}
	prog, err := expr.Compile(e.Source, opts...)
	if err != nil {
		// Parse again to tell an unknown name or function from a type
		// error, so the diagnostic can suggest the right name.
		tree, perr := parser.ParseWithConfig(e.Source, c.parseConf())
		switch {
		case perr != nil:
			c.exprError(e, "Invalid expression syntax", perr)
		case c.checkNames(e, tree.Node, sc):
			c.exprError(e, "Invalid expression", err)
		}
		return nil
	}
	// Undefined names compile when the scope is open; check them here.
	if !c.checkNames(e, prog.Node(), sc) {
		return nil
	}
	return &plan.Expr{Source: e.Source, Program: prog, Type: varType(prog.Node().Type()), Origin: origin(e.Range)}
}

// catalogue returns one option that installs the function catalogue, copied
// from a config the catalogue's options were applied to once: applying
// every expr.Function option for each expression would dominate compile
// time.
func (c *compiler) catalogue() expr.Option {
	base := c.parseConf()
	return func(cfg *conf.Config) {
		for n, f := range base.Functions {
			cfg.Functions[n] = f
		}
		for n, v := range base.Disabled {
			cfg.Disabled[n] = v
		}
		for n, v := range base.ConstFns {
			cfg.ConstFns[n] = v
		}
		cfg.Visitors = append(cfg.Visitors, base.Visitors...)
		cfg.MaxNodes = base.MaxNodes
		cfg.DisableIfOperator = base.DisableIfOperator
	}
}

// exprError reports an expr-lang error positioned inside the HCL string.
func (c *compiler) exprError(e *lang.Expr, summary string, err error) {
	var fe *file.Error
	subject := e.Range
	msg := err.Error()
	if errors.As(err, &fe) {
		msg = fe.Message
		subject = e.SubRange(fe.From, max(fe.To, fe.From+1))
	}
	c.errorf(subject, summary, fmt.Sprintf("%s in the expression %q.", capitalize(msg), e.Source))
}

// checkNames reports unknown functions and unknown variables (columns).
func (c *compiler) checkNames(e *lang.Expr, root ast.Node, sc *scope) bool {
	v := &nameVisitor{callees: map[*ast.IdentifierNode]bool{}, locals: map[string]bool{}}
	ast.Walk(&root, v)
	ok := true
	for _, id := range v.idents {
		name := id.Value
		if v.locals[name] {
			continue
		}
		if sc.has(name) {
			sc.used[name] = true
			continue
		}
		loc := id.Location()
		r := e.SubRange(loc.From, loc.From+len([]rune(name)))
		if v.callees[id] {
			if c.functions[name] {
				continue
			}
			c.errorf(r, "Unknown function", fmt.Sprintf("There is no function %q.%s The functions are listed in docs/functions.md.",
				name, didyoumean.Suffix(name, c.funcNames)))
			ok = false
			continue
		}
		if c.functions[name] {
			continue
		}
		if sc.open {
			if !isReserved(name) {
				sc.found[name] = sc.openType
			}
			continue
		}
		if sc.event {
			continue // checked by checkFieldRefs
		}
		ok = false
		c.unknownName(r, name, sc)
	}
	return ok
}

func (c *compiler) unknownName(r hcl.Range, name string, sc *scope) {
	cands := append([]string(nil), sc.columns...)
	for n := range sc.types {
		cands = append(cands, n)
	}
	sort.Strings(cands)
	if sc.what != "" && len(sc.columns) > 0 {
		c.errorf(r, "Unknown "+sc.what, fmt.Sprintf("The parser's records have no %s %q; its %ss are: %s.%s",
			sc.what, name, sc.what, strings.Join(sc.columns, ", "), didyoumean.Suffix(name, cands)))
		return
	}
	c.errorf(r, "Unknown variable", fmt.Sprintf("There is no variable %q here.%s%s", name, didyoumean.Suffix(name, cands), sc.note))
}

// builtinKeys returns, for an expression of an open scope, a patch that
// reads the free names spelt like expr-lang builtins (type, len, ...) as
// record["name"]: expr would take them for the builtin functions, while in
// an open scope they are the record's keys. It returns nil when there is
// none.
func (c *compiler) builtinKeys(src string, sc *scope) *keyPatch {
	if !sc.has(plan.VarNameRecord) {
		return nil
	}
	tree, err := parser.ParseWithConfig(src, c.parseConf())
	if err != nil {
		return nil
	}
	v := &nameVisitor{callees: map[*ast.IdentifierNode]bool{}, locals: map[string]bool{}}
	ast.Walk(&tree.Node, v)
	names := map[string]bool{}
	for _, id := range v.idents {
		n := id.Value
		if _, isBuiltin := builtin.Index[n]; isBuiltin && !v.callees[id] && !v.locals[n] && !sc.has(n) && !isReserved(n) {
			names[n] = true
		}
	}
	if len(names) == 0 {
		return nil
	}
	return &keyPatch{names: names}
}

// keyPatch replaces the identifiers it names by record["name"].
type keyPatch struct{ names map[string]bool }

// Visit patches one node.
func (p *keyPatch) Visit(node *ast.Node) {
	if id, ok := (*node).(*ast.IdentifierNode); ok && p.names[id.Value] {
		ast.Patch(node, &ast.MemberNode{
			Node:     &ast.IdentifierNode{Value: plan.VarNameRecord},
			Property: &ast.StringNode{Value: id.Value},
		})
	}
}

// nameVisitor collects identifiers, the identifiers that are called, and the
// names declared with let inside the expression.
type nameVisitor struct {
	idents  []*ast.IdentifierNode
	callees map[*ast.IdentifierNode]bool
	locals  map[string]bool
}

func (v *nameVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		v.idents = append(v.idents, n)
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			v.callees[id] = true
		}
	case *ast.VariableDeclaratorNode:
		v.locals[n.Name] = true
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// varType maps a Go type to a plan type.
func varType(t reflect.Type) plan.VarType {
	if t == nil {
		return plan.VarAny
	}
	switch t.Kind() {
	case reflect.String:
		return plan.VarString
	case reflect.Bool:
		return plan.VarBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return plan.VarInt
	case reflect.Float32, reflect.Float64:
		return plan.VarFloat
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.String {
			return plan.VarStringList
		}
		return plan.VarList
	case reflect.Map:
		if t.Elem().Kind() == reflect.String {
			return plan.VarStringMap
		}
		return plan.VarMap
	}
	return plan.VarAny
}
