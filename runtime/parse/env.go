// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"fmt"

	"github.com/expr-lang/expr/ast"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// varKind says where an environment variable's value comes from.
type varKind uint8

const (
	varColumn     varKind = iota // a record column or key
	varRecord                    // "record"
	varRow                       // "row"
	varReport                    // "report"
	varLine                      // "line"
	varLineNumber                // "line_number"
	varItem                      // "item"
	varIndex                     // "index"
	varConst                     // a parser constant
	varHeader                    // "header"
	varComments                  // "comments"
	varText                      // "text"
	varNewline                   // "newline"
	varLineEnd                   // "line_end"
)

// envVar is one variable of a parser's expression environment.
type envVar struct {
	name string
	kind varKind
	// col is the index of a column variable in the record's Fields, or -1
	// when the column does not exist; resolved once the columns are known.
	col int
	// used says a program run on the VM reads the variable, so it is bound
	// for every record. Variables only read by direct mappings are not.
	used bool
}

// wellKnown maps the reserved variable names to their kinds.
func wellKnown(name string) (varKind, bool) {
	switch name {
	case plan.VarNameRecord:
		return varRecord, true
	case plan.VarNameRow:
		return varRow, true
	case plan.VarNameReport:
		return varReport, true
	case plan.VarNameLine:
		return varLine, true
	case plan.VarNameLineNumber:
		return varLineNumber, true
	case plan.VarNameItem:
		return varItem, true
	case plan.VarNameIndex:
		return varIndex, true
	}
	return 0, false
}

// textVar maps the variables of the report's text to their kinds; a
// parser has those its plan lists in TextVars.
func textVar(name string) (varKind, bool) {
	switch name {
	case plan.VarNameHeader:
		return varHeader, true
	case plan.VarNameComments:
		return varComments, true
	case plan.VarNameText:
		return varText, true
	case plan.VarNameNewline:
		return varNewline, true
	case plan.VarNameLineEnd:
		return varLineEnd, true
	}
	return 0, false
}

// identifiers collects the names a program's AST refers to. "$env" among
// them means the program may read any variable.
type identifiers map[string]bool

// Visit records identifier nodes.
func (ids identifiers) Visit(node *ast.Node) {
	if n, ok := (*node).(*ast.IdentifierNode); ok {
		ids[n.Value] = true
	}
}

// add collects the identifiers of e's program.
func (ids identifiers) add(e *plan.Expr) {
	if e == nil || e.Program == nil {
		return
	}
	node := e.Program.Node()
	if node == nil {
		ids["$env"] = true
		return
	}
	ast.Walk(&node, ids)
}

// bareIdentifier returns the variable name when e's program is nothing but
// a variable reference, so the runtime can read the value without the VM.
func bareIdentifier(e *plan.Expr) (string, bool) {
	if e == nil || e.Program == nil {
		return "", false
	}
	n, ok := e.Program.Node().(*ast.IdentifierNode)
	if !ok || n.Value == "$env" {
		return "", false
	}
	return n.Value, true
}

// rowIndex returns N when e's program is nothing but "get(row, N)" or
// "row[N]" with a constant N >= 0 (the generic CSV lowering), so the runtime
// can read the cell without the VM. strict is true for row[N], which fails
// when the row is shorter; get gives nil then.
func rowIndex(e *plan.Expr) (n int, strict, ok bool) {
	if e == nil || e.Program == nil {
		return 0, false, false
	}
	isRow := func(n ast.Node) bool {
		id, ok := n.(*ast.IdentifierNode)
		return ok && id.Value == plan.VarNameRow
	}
	index := func(n ast.Node) (int, bool) {
		i, ok := n.(*ast.IntegerNode)
		return i.Value, ok && i.Value >= 0
	}
	switch node := e.Program.Node().(type) {
	case *ast.BuiltinNode:
		if node.Name == "get" && len(node.Arguments) == 2 && isRow(node.Arguments[0]) {
			if i, ok := index(node.Arguments[1]); ok {
				return i, false, true
			}
		}
	case *ast.MemberNode:
		if !node.Optional && isRow(node.Node) {
			if i, ok := index(node.Property); ok {
				return i, true, true
			}
		}
	}
	return 0, false, false
}

// valueOf converts a Go value read from a record to a field value. Maps
// with keys of type any (expr's fromPairs, groupBy) are taken as maps with
// string keys.
func valueOf(x any) (harmonization.Value, error) {
	if s, ok := x.(string); ok {
		return harmonization.String(s), nil
	}
	v, err := harmonization.FromAny(x)
	if err == nil {
		return v, nil
	}
	if y, changed := stringKeys(x); changed {
		return harmonization.FromAny(y)
	}
	return v, err
}

// stringKeys replaces every map[any]any in x by a map[string]any, the keys
// written with fmt's %v; changed says it found one.
func stringKeys(x any) (_ any, changed bool) {
	switch t := x.(type) {
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, v := range t {
			out[fmt.Sprint(k)], _ = stringKeys(v)
		}
		return out, true
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, v := range t {
			var c bool
			out[k], c = stringKeys(v)
			changed = changed || c
		}
		return out, changed
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			var c bool
			out[i], c = stringKeys(v)
			changed = changed || c
		}
		return out, changed
	}
	return x, false
}

// bind sets the variables the programs read from rec, the n-th record of
// the report.
func (x *Executor) bind(rec *Record, n int) error {
	if x.p.Input.Format == plan.FormatKeyValue {
		clear(x.kv)
		for i, k := range rec.Names {
			x.kv[k] = rec.Fields[i]
		}
	}
	for _, v := range x.vars {
		if v.used && v.perRecord() {
			x.env[v.name] = x.value(v, rec, n)
		}
	}
	return nil
}

// direct reports whether a mapping that is nothing but this variable may
// read it without the VM: its value comes from the record or is a
// constant. The others (report, the report's text) are bound per report
// only when a program uses them.
func (v *envVar) direct() bool {
	switch v.kind {
	case varColumn, varRecord, varRow, varLine, varLineNumber, varConst:
		return true
	}
	return false
}

// perRecord reports whether the variable changes with every record.
func (v *envVar) perRecord() bool {
	switch v.kind {
	case varColumn, varRecord, varRow, varLine, varLineNumber, varComments, varLineEnd:
		return true
	}
	return false
}

// value returns the value of variable v for rec, the n-th record. The
// report, item, index and constant variables are not per record: their
// value is the one in the environment.
func (x *Executor) value(v *envVar, rec *Record, n int) any {
	switch v.kind {
	case varColumn:
		return x.read(v, rec)
	case varRecord:
		return x.recordValue(rec)
	case varRow:
		return rec.Fields
	case varLine:
		return rec.Raw
	case varLineNumber:
		if x.p.Input.Format == plan.FormatJSON {
			return n
		}
		return rec.Line
	case varComments:
		return x.reader.Comments()
	case varLineEnd:
		return x.text.lineEnd(rec)
	}
	return x.env[v.name]
}

// read returns the value of a column variable in rec: a string for CSV,
// lines and key=value records ("" when absent), the decoded value of the
// key for JSON records (nil when absent).
func (x *Executor) read(v *envVar, rec *Record) any {
	switch x.p.Input.Format {
	case plan.FormatJSON, plan.FormatJSONLines:
		if obj, ok := rec.Value.(map[string]any); ok {
			return obj[v.name]
		}
		return nil
	case plan.FormatKeyValue:
		return x.kv[v.name]
	}
	if v.col >= 0 && v.col < len(rec.Fields) {
		return rec.Fields[v.col]
	}
	return ""
}

// recordValue returns the "record" variable: the decoded JSON value, or a
// map of column name to value.
func (x *Executor) recordValue(rec *Record) any {
	switch x.p.Input.Format {
	case plan.FormatJSON, plan.FormatJSONLines:
		return rec.Value
	case plan.FormatKeyValue:
		return x.kv
	}
	for i, c := range x.columns {
		if i < len(rec.Fields) {
			x.recMap[c] = rec.Fields[i]
		} else {
			x.recMap[c] = ""
		}
	}
	return x.recMap
}
