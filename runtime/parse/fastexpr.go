// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"strconv"
	"strings"

	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/vm"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// fastOp is a shape of expression the executor computes without the VM.
type fastOp uint8

const (
	fastConcat fastOp = iota + 1 // v + c, or c + v when prefix
	fastLower                    // expr's builtin lower(v)
	fastUpper                    // expr's builtin upper(v)
	fastInt                      // expr's builtin int(v)
)

// fastExpr is an expression of one of the fastOp shapes over one variable
// whose value is text. It gives what the program gives when the variable
// holds a string; for any other value (a JSON number, nil) and for any
// failure (int of a non-number) the executor runs the program instead, so
// that results and error messages stay the VM's.
type fastExpr struct {
	op     fastOp
	v      *envVar
	c      string // the constant of fastConcat
	prefix bool   // fastConcat: the constant comes first
}

// fastShape recognises e's program, from its bytecode, as one of the fast
// shapes over a variable of byName that fastString can read.
func fastShape(e *plan.Expr, byName map[string]*envVar) (*fastExpr, bool) {
	if e == nil || e.Program == nil {
		return nil, false
	}
	p := e.Program
	code, args := p.Bytecode, p.Arguments
	if len(args) != len(code) {
		return nil, false
	}
	variable := func(i int) *envVar {
		if code[i] != vm.OpLoadFast || args[i] < 0 || args[i] >= len(p.Constants) {
			return nil
		}
		name, ok := p.Constants[args[i]].(string)
		if !ok {
			return nil
		}
		if v := byName[name]; v != nil && v.textual() {
			return v
		}
		return nil
	}
	constant := func(i int) (string, bool) {
		if code[i] != vm.OpPush || args[i] < 0 || args[i] >= len(p.Constants) {
			return "", false
		}
		s, ok := p.Constants[args[i]].(string)
		return s, ok
	}
	switch len(code) {
	case 2:
		v := variable(0)
		if v == nil || code[1] != vm.OpCallBuiltin1 {
			return nil, false
		}
		if args[1] < 0 || args[1] >= len(builtin.Builtins) {
			return nil, false
		}
		switch builtin.Builtins[args[1]].Name {
		case "lower":
			return &fastExpr{op: fastLower, v: v}, true
		case "upper":
			return &fastExpr{op: fastUpper, v: v}, true
		case "int":
			return &fastExpr{op: fastInt, v: v}, true
		}
	case 3:
		if code[2] != vm.OpAdd {
			return nil, false
		}
		if v := variable(0); v != nil {
			if c, ok := constant(1); ok {
				return &fastExpr{op: fastConcat, v: v, c: c}, true
			}
		}
		if v := variable(1); v != nil {
			if c, ok := constant(0); ok {
				return &fastExpr{op: fastConcat, v: v, c: c, prefix: true}, true
			}
		}
	}
	return nil, false
}

// textual reports whether the variable's value may be text read from the
// record, which fastString reads without boxing it.
func (v *envVar) textual() bool { return v.kind == varColumn || v.kind == varLine }

// fastString returns the value of a textual variable for rec when it is a
// string, without going through the environment.
func (x *Executor) fastString(v *envVar, rec *Record) (string, bool) {
	if v.kind == varLine {
		return rec.Raw, true
	}
	switch x.p.Input.Format {
	case plan.FormatJSON, plan.FormatJSONLines:
		if obj, ok := rec.Value.(map[string]any); ok {
			s, ok := obj[v.name].(string)
			return s, ok
		}
		return "", false
	case plan.FormatKeyValue:
		return x.kv[v.name], true
	}
	if v.col >= 0 && v.col < len(rec.Fields) {
		return rec.Fields[v.col], true
	}
	return "", true
}

// fastValue computes f for rec; ok is false when the program must run.
func (x *Executor) fastValue(f *fastExpr, rec *Record) (_ harmonization.Value, ok bool) {
	s, ok := x.fastString(f.v, rec)
	if !ok {
		return harmonization.Value{}, false
	}
	switch f.op {
	case fastConcat:
		a, b := s, f.c
		if f.prefix {
			a, b = f.c, s
		}
		if x.lent {
			// The text of a lent event goes to the arena.
			return harmonization.String(x.arena.Concat(a, b)), true
		}
		return harmonization.String(a + b), true
	case fastLower:
		return harmonization.String(x.lower.of(s, strings.ToLower)), true
	case fastUpper:
		return harmonization.String(x.upper.of(s, strings.ToUpper)), true
	case fastInt:
		n, err := strconv.Atoi(s)
		if err != nil {
			return harmonization.Value{}, false
		}
		return harmonization.Int(int64(n)), true
	}
	return harmonization.Value{}, false
}

// caseCache remembers the results of a case conversion, which a feed
// applies to few distinct values (malware names, statuses), so that each
// is converted and allocated once rather than per record.
type caseCache struct {
	m map[string]string
}

// caseCacheSize bounds a caseCache; it starts afresh when full.
const caseCacheSize = 1024

// caseCacheMaxLen is the longest value a caseCache keeps.
const caseCacheMaxLen = 64

// of returns conv(s), from the cache when it has it.
func (c *caseCache) of(s string, conv func(string) string) string {
	if len(s) > caseCacheMaxLen {
		return conv(s)
	}
	if out, ok := c.m[s]; ok {
		return out
	}
	out := conv(s)
	if c.m == nil || len(c.m) >= caseCacheSize {
		c.m = make(map[string]string, 64)
	}
	// The key is copied: s may be a piece of the report's text, which the
	// cache must not keep alive. The result is copied when it is s.
	key := strings.Clone(s)
	if out == s {
		out = key
	}
	c.m[key] = out
	return out
}

// bindFor binds the variable of a fast expression before its program runs
// on the VM, as the per-record binding skips variables only fast
// expressions read.
func (x *Executor) bindFor(f *fastExpr, rec *Record, n int) {
	x.env[f.v.name] = x.value(f.v, rec, n)
}
