// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// File is one decoded .hcl file.
type File struct {
	Name      string
	Feeds     []*Feed
	Parsers   []*Parser
	Bots      []*Bot // expert, output and bot blocks, in source order
	Pipelines []*Pipeline
}

// String is a string attribute value with its range.
type String struct {
	Value string
	Range hcl.Range
}

// Number is a number attribute value with its range.
type Number struct {
	Value float64
	Range hcl.Range
}

// Bool is a bool attribute value with its range.
type Bool struct {
	Value bool
	Range hcl.Range
}

// StringList is a list of strings with the range of each and of the list.
type StringList struct {
	Values []String
	Range  hcl.Range
}

// Strings returns the plain values.
func (l *StringList) Strings() []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l.Values))
	for i, v := range l.Values {
		out[i] = v.Value
	}
	return out
}

// BoolList is a list of bools.
type BoolList struct {
	Values []Bool
	Range  hcl.Range
}

// StringMap is an object of strings, in source order.
type StringMap struct {
	Entries []StringEntry
	Range   hcl.Range
}

// StringEntry is one key of a StringMap.
type StringEntry struct {
	Key      string
	KeyRange hcl.Range
	Value    String
}

// ValueMap is an object of constants (strings, numbers, bools, lists,
// objects), in source order.
type ValueMap struct {
	Entries []ValueEntry
	Range   hcl.Range
}

// ValueEntry is one key of a ValueMap. Value is known and wholly static.
type ValueEntry struct {
	Key      string
	KeyRange hcl.Range
	Value    cty.Value
	Range    hcl.Range
}

// ExprMap is an object of expressions: field key → expr-lang source.
type ExprMap struct {
	Entries []ExprEntry
	Range   hcl.Range
}

// ExprEntry is one key of an ExprMap.
type ExprEntry struct {
	Key      string
	KeyRange hcl.Range
	Expr     *Expr
}

// Ref is a reference to a declared block, such as parser.feodotracker.
type Ref struct {
	Kind  string // a block kind of lang/schema: "parser", "output", ...
	Name  string
	Range hcl.Range
}

// String returns the reference as written, "kind.name".
func (r *Ref) String() string { return r.Kind + "." + r.Name }

// RefList is a list of references.
type RefList struct {
	Refs  []*Ref
	Range hcl.Range
}

// Param is one attribute of an open body: a Go bot's parameter. Its value is
// kept as an expression for the compiler to convert to the declared type.
type Param struct {
	Name      string
	NameRange hcl.Range
	Expr      hcl.Expression
	Range     hcl.Range // the whole attribute
}

// Feed is a feed block.
type Feed struct {
	Name              string
	Provider          *String
	FeedName          *String
	Accuracy          *Number
	Code              *String
	Documentation     *String
	Description       *String
	Parser            *Ref
	IntelMQModule     *String
	IntelMQParameters *ValueMap
	Collect           *Collect
	NameRange         hcl.Range
	DeclRange         hcl.Range
}

// Collect is a feed's collect block.
type Collect struct {
	Bot       string // the label: collector.<Bot>
	BotRange  hcl.Range
	Params    []*Param
	DeclRange hcl.Range
}

// Bot is an expert, output or bot block.
type Bot struct {
	Kind      string // schema.KindExpert, schema.KindOutput or schema.KindBot
	Type      string // first label: the bot name ("taxonomy") or, for bot blocks, the full ID
	Name      string
	TypeRange hcl.Range
	NameRange hcl.Range
	Params    []*Param
	DeclRange hcl.Range
}

// Pipeline is a pipeline block.
type Pipeline struct {
	Name      string
	Feeds     *RefList
	Experts   *RefList
	Routes    []*Route
	NameRange hcl.Range
	DeclRange hcl.Range
}

// Route is a route block of a pipeline.
type Route struct {
	Name      *String
	When      *Expr
	To        *RefList
	Drop      *Bool
	DeclRange hcl.Range
}
