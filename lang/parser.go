// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/lang/schema"
)

// Parser is a parser block.
type Parser struct {
	Name          string
	Extends       *Ref // the parser this one starts from; the compiler merges them
	Description   *String
	IntelMQModule *String
	Input         *Input
	Let           *ValueMap
	Skip          *Expr
	When          *Expr
	Set           *ValueMap
	Spread        *Expr
	Map           *ExprMap
	Optional      *ExprMap
	Overwrite     *ExprMap
	Raw           *Expr
	Each          []*Each
	Reject        []*Reject
	DefaultFields *ValueMap
	CopyFields    *StringList // copy_collector_provided_fields
	Generic       GenericCSV
	NameRange     hcl.Range
	DeclRange     hcl.Range
}

// GenericCSV holds the options of IntelMQ's generic CSV parser.
type GenericCSV struct {
	Fields             *StringList
	FieldsRequired     *BoolList
	ColumnRegexSearch  *StringMap
	ComposeFields      *StringMap
	DataType           *StringMap
	TimeFormat         *String
	Type               *String
	TypeTranslation    *StringMap
	DefaultURLProtocol *String
	IgnoreValues       *StringList
	SplitColumn        *String
	SplitSeparator     *String
	SplitIndex         *Number
}

// Input is a parser's input block; Format is its block type.
type Input struct {
	Format string // a schema.Format* constant
	// CSV
	Delimiter  *String
	Quote      *String
	Header     *Bool
	Columns    *StringList
	LazyQuotes *Bool
	FilterText *String
	FilterType *String
	// JSON
	Path   *StringList
	Single *Bool
	Keys   *StringList // JSON, JSON lines and key-value
	// lines
	Regex         *String
	Column        *String
	IgnoreNoMatch *Bool
	// key-value
	PairSeparator *String
	KVSeparator   *String
	StripQuotes   *Bool
	// html_table
	TableIndex     *Number
	AttributeName  *String
	AttributeValue *String
	SkipHead       *Bool
	// several formats
	Comment   *StringList
	SkipLines *Number
	DeclRange hcl.Range
	TypeRange hcl.Range
}

// Each is an each block of a parser.
type Each struct {
	List      *Expr
	Skip      *Expr
	Set       *ValueMap
	Map       *ExprMap
	Optional  *ExprMap
	Raw       *Expr
	DeclRange hcl.Range
}

// Reject is a reject block of a parser: a condition over the report that
// fails the whole report.
type Reject struct {
	When      *Expr
	Message   *String
	DeclRange hcl.Range
}

func (d *decoder) decodeParser(b *hcl.Block, s *schema.Block) (*Parser, hcl.Diagnostics) {
	content, diags := b.Body.Content(bodySchema(s))
	diags = append(diags, checkName(b, 0)...)
	p := &Parser{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	a := content.Attributes
	var more hcl.Diagnostics
	add := func(ds hcl.Diagnostics) { diags = append(diags, ds...) }
	p.Description, more = d.str(a["description"])
	add(more)
	p.Extends, more = d.refAttr(a["extends"], s.Attr("extends").Refs)
	add(more)
	p.IntelMQModule, more = d.str(a["intelmq_module"])
	add(more)
	p.Let, more = d.valueMap(a["let"])
	add(more)
	p.Skip, more = d.expr(a["skip"])
	add(more)
	p.When, more = d.expr(a["when"])
	add(more)
	p.Set, more = d.valueMap(a["set"])
	add(more)
	p.Spread, more = d.expr(a["spread"])
	add(more)
	p.Map, more = d.exprMap(a["map"])
	add(more)
	p.Optional, more = d.exprMap(a["optional"])
	add(more)
	p.Overwrite, more = d.exprMap(a["overwrite"])
	add(more)
	p.Raw, more = d.expr(a["raw"])
	add(more)
	p.DefaultFields, more = d.valueMap(a["default_fields"])
	add(more)
	p.CopyFields, more = d.strList(a["copy_collector_provided_fields"])
	add(more)
	add(d.decodeGeneric(&p.Generic, a))
	if p.Skip != nil && p.When != nil {
		add(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Conflicting conditions",
			Detail:   "A parser may have skip or when, not both: when is the opposite of skip. Keep one of them.",
			Subject:  a["when"].NameRange.Ptr(),
		}})
	}
	add(checkSingle(content.Blocks, s))
	for _, cb := range content.Blocks {
		switch cb.Type {
		case "each":
			e, more := d.decodeEach(cb, s.Block("each"))
			add(more)
			p.Each = append(p.Each, e)
			continue
		case "reject":
			r, more := d.decodeReject(cb, s.Block("reject"))
			add(more)
			p.Reject = append(p.Reject, r)
			continue
		}
		if p.Input == nil {
			in, more := d.decodeInput(cb, s.Block(cb.Type))
			add(more)
			p.Input = in
		}
	}
	if p.Input == nil && p.Extends == nil { // an extending parser may take its base's
		add(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Missing input block",
			Detail: fmt.Sprintf("The parser %q needs one input block saying how to read its reports: %s.",
				p.Name, "csv, json, jsonlines, lines, keyvalue or html_table"),
			Subject: b.DefRange.Ptr(),
		}})
	}
	return p, diags
}

func (d *decoder) decodeGeneric(g *GenericCSV, a hcl.Attributes) hcl.Diagnostics {
	var diags, more hcl.Diagnostics
	g.Fields, more = d.strList(a["fields"])
	diags = append(diags, more...)
	g.FieldsRequired, more = d.boolList(a["fields_required"])
	diags = append(diags, more...)
	g.ColumnRegexSearch, more = d.stringMap(a["column_regex_search"])
	diags = append(diags, more...)
	g.ComposeFields, more = d.stringMap(a["compose_fields"])
	diags = append(diags, more...)
	g.DataType, more = d.stringMap(a["data_type"])
	diags = append(diags, more...)
	g.TimeFormat, more = d.str(a["time_format"])
	diags = append(diags, more...)
	g.Type, more = d.str(a["type"])
	diags = append(diags, more...)
	g.TypeTranslation, more = d.stringMap(a["type_translation"])
	diags = append(diags, more...)
	g.DefaultURLProtocol, more = d.str(a["default_url_protocol"])
	diags = append(diags, more...)
	g.IgnoreValues, more = d.strList(a["ignore_values"])
	diags = append(diags, more...)
	g.SplitColumn, more = d.str(a["split_column"])
	diags = append(diags, more...)
	g.SplitSeparator, more = d.str(a["split_separator"])
	diags = append(diags, more...)
	g.SplitIndex, more = d.integer(a["split_index"])
	diags = append(diags, more...)
	return diags
}

func (d *decoder) decodeInput(b *hcl.Block, s *schema.Block) (*Input, hcl.Diagnostics) {
	content, diags := b.Body.Content(bodySchema(s))
	in := &Input{Format: b.Type, DeclRange: b.DefRange, TypeRange: b.TypeRange}
	a := content.Attributes
	var more hcl.Diagnostics
	add := func(ds hcl.Diagnostics) { diags = append(diags, ds...) }
	in.Delimiter, more = d.char(a["delimiter"])
	add(more)
	in.Quote, more = d.str(a["quote"])
	add(more)
	in.Header, more = d.boolean(a["header"])
	add(more)
	in.Columns, more = d.strList(a["columns"])
	add(more)
	in.LazyQuotes, more = d.boolean(a["lazy_quotes"])
	add(more)
	in.FilterText, more = d.str(a["filter_text"])
	add(more)
	in.FilterType, more = d.str(a["filter_type"])
	add(more)
	in.Path, more = d.strList(a["path"])
	add(more)
	in.Single, more = d.boolean(a["single"])
	add(more)
	in.Keys, more = d.strList(a["keys"])
	add(more)
	in.Regex, more = d.str(a["regex"])
	add(more)
	in.Column, more = d.str(a["column"])
	add(more)
	in.IgnoreNoMatch, more = d.boolean(a["ignore_no_match"])
	add(more)
	in.PairSeparator, more = d.str(a["pair_separator"])
	add(more)
	in.KVSeparator, more = d.str(a["kv_separator"])
	add(more)
	in.StripQuotes, more = d.boolean(a["strip_quotes"])
	add(more)
	in.TableIndex, more = d.integer(a["table_index"])
	add(more)
	in.AttributeName, more = d.str(a["attribute_name"])
	add(more)
	in.AttributeValue, more = d.str(a["attribute_value"])
	add(more)
	in.SkipHead, more = d.boolean(a["skip_head"])
	add(more)
	in.Comment, more = d.strList(a["comment"])
	add(more)
	in.SkipLines, more = d.integer(a["skip_lines"])
	add(more)
	return in, diags
}

func (d *decoder) decodeEach(b *hcl.Block, s *schema.Block) (*Each, hcl.Diagnostics) {
	content, diags := b.Body.Content(bodySchema(s))
	e := &Each{DeclRange: b.DefRange}
	a := content.Attributes
	var more hcl.Diagnostics
	e.List, more = d.expr(a["list"])
	diags = append(diags, more...)
	e.Skip, more = d.expr(a["skip"])
	diags = append(diags, more...)
	e.Set, more = d.valueMap(a["set"])
	diags = append(diags, more...)
	e.Map, more = d.exprMap(a["map"])
	diags = append(diags, more...)
	e.Optional, more = d.exprMap(a["optional"])
	diags = append(diags, more...)
	e.Raw, more = d.expr(a["raw"])
	diags = append(diags, more...)
	return e, diags
}

func (d *decoder) decodeReject(b *hcl.Block, s *schema.Block) (*Reject, hcl.Diagnostics) {
	content, diags := b.Body.Content(bodySchema(s))
	r := &Reject{DeclRange: b.DefRange}
	var more hcl.Diagnostics
	r.When, more = d.expr(content.Attributes["when"])
	diags = append(diags, more...)
	r.Message, more = d.str(content.Attributes["message"])
	diags = append(diags, more...)
	return r, diags
}
