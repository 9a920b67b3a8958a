// SPDX-License-Identifier: AGPL-3.0-or-later

package plan

// VarType is the static type of an expression variable or result.
type VarType uint8

// The variable types of the expression environment. VarAny means the
// compiler could not know the type (JSON values, untyped lookups).
const (
	VarAny VarType = iota
	VarString
	VarInt
	VarFloat
	VarBool
	VarStringList // []string
	VarList       // []any
	VarStringMap  // map[string]string
	VarMap        // map[string]any
)

var varTypeNames = [...]string{"any", "string", "int", "float", "bool", "list(string)", "list", "map(string)", "map"}

// String returns the type's name as `intelmq plan` prints it.
func (t VarType) String() string {
	if int(t) < len(varTypeNames) {
		return varTypeNames[t]
	}
	return "invalid"
}

// Zero returns the typed zero value the compiler declares for a variable of
// this type in the expr environment.
func (t VarType) Zero() any {
	switch t {
	case VarString:
		return ""
	case VarInt:
		return 0
	case VarFloat:
		return 0.0
	case VarBool:
		return false
	case VarStringList:
		return []string{}
	case VarList:
		return []any{}
	case VarStringMap:
		return map[string]string{}
	case VarMap:
		return map[string]any{}
	}
	return nil
}

// Var is one variable of a parser's expression environment.
type Var struct {
	Name string
	Type VarType
}

// Well-known variable names of the expression environment (see the package
// documentation for their contract).
const (
	VarNameRecord     = "record"
	VarNameRow        = "row"
	VarNameReport     = "report"
	VarNameLine       = "line"
	VarNameLineNumber = "line_number"
	VarNameItem       = "item"
	VarNameIndex      = "index"
	VarNameHeader     = "header"
	VarNameComments   = "comments"
	VarNameText       = "text"
	VarNameNewline    = "newline"
	VarNameLineEnd    = "line_end"
)

// ReportVars are the variables of the report's text that a parser has
// unless a column, key or let name of its own takes the name. They are
// strings; see the package documentation.
func ReportVars() []string {
	return []string{VarNameHeader, VarNameComments, VarNameText, VarNameNewline, VarNameLineEnd}
}
