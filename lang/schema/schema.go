// SPDX-License-Identifier: AGPL-3.0-or-later

package schema

// Type is the type of an attribute's value.
type Type uint8

// The attribute types of the language.
const (
	String     Type = iota + 1 // a string
	Char                       // a string of exactly one character
	Number                     // a number
	Int                        // a whole number
	Bool                       // true or false
	StringList                 // a list of strings
	BoolList                   // a list of bools
	StringMap                  // an object of strings
	Any                        // any value: string, number, bool, list, object
	AnyMap                     // an object of any values
	Expr                       // a string holding an expr-lang expression
	ExprMap                    // an object: field key → expression string
	ValueMap                   // an object: field key → constant value
	Ref                        // a reference such as parser.feodotracker
	RefList                    // a list of references
)

var typeNames = [...]string{"", "string", "character", "number", "whole number", "bool", "list(string)",
	"list(bool)", "map(string)", "any", "map(any)", "expression", "map(expression)", "map(value)",
	"reference", "list(reference)"}

// String returns the type's name as diagnostics and docs print it.
func (t Type) String() string {
	if t > 0 && int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "invalid"
}

// Attr describes one attribute of a block.
type Attr struct {
	Name     string
	Type     Type
	Required bool
	// Default is the default as documentation shows it; "" for none.
	Default string
	// Refs lists the block kinds a Ref or RefList attribute may name.
	Refs []string
	Doc  string
}

// Block describes one block kind.
type Block struct {
	// Type is the block type keyword, e.g. "feed".
	Type string
	// Labels names the block's labels, e.g. ["name"].
	Labels []string
	Doc    string
	Attrs  []Attr
	Blocks []*Block
	// Open says the body holds free attributes (a Go bot's parameters),
	// checked later against the bot's declared parameters.
	Open bool
	// Single says the block may appear at most once in its parent.
	Single bool
	// Group names a set of sibling blocks of which at most one may appear
	// (a parser's input formats); "" for none.
	Group string
}

// Attr returns the attribute named name, or nil.
func (b *Block) Attr(name string) *Attr {
	for i := range b.Attrs {
		if b.Attrs[i].Name == name {
			return &b.Attrs[i]
		}
	}
	return nil
}

// Block returns the nested block kind named typ, or nil.
func (b *Block) Block(typ string) *Block {
	for _, c := range b.Blocks {
		if c.Type == typ {
			return c
		}
	}
	return nil
}

// AttrNames returns the attribute names in declaration order.
func (b *Block) AttrNames() []string {
	names := make([]string, len(b.Attrs))
	for i, a := range b.Attrs {
		names[i] = a.Name
	}
	return names
}

// BlockTypes returns the nested block types in declaration order.
func (b *Block) BlockTypes() []string {
	names := make([]string, len(b.Blocks))
	for i, c := range b.Blocks {
		names[i] = c.Type
	}
	return names
}
