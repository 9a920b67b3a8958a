// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
)

// identPattern is the form of a name usable as an expression variable.
var identPattern = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// reserved are the variable names the environment always defines.
var reservedNames = []string{plan.VarNameRecord, plan.VarNameRow, plan.VarNameReport, plan.VarNameLine,
	plan.VarNameLineNumber, plan.VarNameItem, plan.VarNameIndex}

func isReserved(name string) bool {
	for _, r := range reservedNames {
		if r == name {
			return true
		}
	}
	return false
}

// lowerInput lowers a parser's input block and returns the scope of its
// records' variables.
func (c *compiler) lowerInput(in *lang.Input) (plan.Input, *scope) {
	switch in.Format {
	case schema.FormatCSV:
		return c.lowerCSV(in)
	case schema.FormatJSON, schema.FormatJSONLines:
		return c.lowerJSON(in)
	case schema.FormatLines:
		return c.lowerLines(in)
	case schema.FormatHTMLTable:
		return c.lowerHTMLTable(in)
	}
	return c.lowerKeyValue(in)
}

// declareColumns adds the record's names as string variables.
func (c *compiler) declareColumns(sc *scope, list *lang.StringList, t plan.VarType) {
	if list == nil {
		return
	}
	seen := map[string]hcl.Range{}
	for _, col := range list.Values {
		if first, dup := seen[col.Value]; dup && col.Value != "" {
			c.errorf(col.Range, "Duplicate "+sc.what, fmt.Sprintf(
				"The %s %q was already named at %s; each %s needs its own name.", sc.what, col.Value, at(first), sc.what))
			continue
		}
		seen[col.Value] = col.Range
		sc.columns = append(sc.columns, col.Value)
		switch {
		case isReserved(col.Value):
			c.errorf(col.Range, "Reserved name", fmt.Sprintf(
				"The %s name %q is also a variable every expression has (%s); rename the %s, e.g. %q.",
				sc.what, col.Value, strings.Join(reservedNames, ", "), sc.what, col.Value+"_"))
		case identPattern.MatchString(col.Value):
			sc.set(col.Value, t)
		}
	}
}

func (c *compiler) lowerCSV(in *lang.Input) (plan.Input, *scope) {
	ci := &plan.CSVInput{Delimiter: ',', Quote: '"', Comment: in.Comment.Strings()}
	if in.Delimiter != nil {
		ci.Delimiter = []rune(in.Delimiter.Value)[0]
	}
	if in.Quote != nil {
		switch r := []rune(in.Quote.Value); len(r) {
		case 0:
			ci.Quote = 0
		case 1:
			ci.Quote = r[0]
		default:
			c.errorf(in.Quote.Range, "Invalid character", fmt.Sprintf(
				"The quote must be one character, or \"\" to disable quoting; got %q.", in.Quote.Value))
		}
	}
	if in.SkipLines != nil {
		ci.SkipLines = int(in.SkipLines.Value)
	}
	ci.Header = in.Header != nil && in.Header.Value
	ci.Columns = in.Columns.Strings()
	ci.LazyQuotes = in.LazyQuotes != nil && in.LazyQuotes.Value
	ci.Filter = c.textFilter(in)
	sc := newScope("column")
	c.declareColumns(sc, in.Columns, plan.VarString)
	sc.set(plan.VarNameRecord, plan.VarStringMap)
	sc.set(plan.VarNameRow, plan.VarStringList)
	sc.open = ci.Header && in.Columns == nil
	sc.openType = plan.VarString
	return plan.Input{Format: plan.FormatCSV, CSV: ci}, sc
}

func (c *compiler) textFilter(in *lang.Input) *plan.TextFilter {
	if in.FilterText == nil && in.FilterType == nil {
		return nil
	}
	if in.FilterText == nil || in.FilterType == nil {
		r := in.DeclRange
		if in.FilterText != nil {
			r = in.FilterText.Range
		} else {
			r = in.FilterType.Range
		}
		c.errorf(r, "Incomplete filter", "The attributes filter_text and filter_type go together: give both, or neither.")
		return nil
	}
	switch in.FilterType.Value {
	case "whitelist":
		return &plan.TextFilter{Text: in.FilterText.Value, Keep: true}
	case "blacklist":
		return &plan.TextFilter{Text: in.FilterText.Value, Keep: false}
	}
	c.errorf(in.FilterType.Range, "Invalid filter type", fmt.Sprintf(
		"The filter_type is \"whitelist\" (keep rows containing filter_text) or \"blacklist\" (drop them); got %q.",
		in.FilterType.Value))
	return nil
}

func (c *compiler) lowerJSON(in *lang.Input) (plan.Input, *scope) {
	ji := &plan.JSONInput{Path: in.Path.Strings(), Single: in.Single != nil && in.Single.Value, Comment: in.Comment.Strings()}
	format := plan.FormatJSON
	if in.Format == schema.FormatJSONLines {
		format = plan.FormatJSONLines
	}
	sc := newScope("key")
	c.declareColumns(sc, in.Keys, plan.VarAny)
	sc.set(plan.VarNameRecord, plan.VarAny)
	sc.open = in.Keys == nil
	return plan.Input{Format: format, JSON: ji}, sc
}

func (c *compiler) lowerLines(in *lang.Input) (plan.Input, *scope) {
	li := &plan.LinesInput{Column: "value", Comment: in.Comment.Strings(), IgnoreNoMatch: in.IgnoreNoMatch != nil && in.IgnoreNoMatch.Value}
	if in.SkipLines != nil {
		li.SkipLines = int(in.SkipLines.Value)
	}
	sc := newScope("column")
	sc.set(plan.VarNameRecord, plan.VarStringMap)
	cols := &lang.StringList{}
	switch {
	case in.Regex != nil:
		re, err := regexp.Compile(in.Regex.Value)
		if err != nil {
			c.errorf(in.Regex.Range, "Invalid regex", fmt.Sprintf("The regex does not compile: %s.", err))
			break
		}
		li.Regex = re
		for _, n := range re.SubexpNames() {
			if n != "" {
				cols.Values = append(cols.Values, lang.String{Value: n, Range: in.Regex.Range})
			}
		}
		if len(cols.Values) == 0 {
			c.errorf(in.Regex.Range, "Regex without named groups", "The regex of a lines input names the record's columns "+
				"with named groups such as (?P<ip>\\S+); this one has none.")
		}
	case in.Column != nil:
		li.Column = in.Column.Value
		cols.Values = append(cols.Values, *in.Column)
	default:
		cols.Values = append(cols.Values, lang.String{Value: li.Column, Range: in.DeclRange})
	}
	c.declareColumns(sc, cols, plan.VarString)
	if in.Regex != nil && in.Column != nil {
		c.errorf(in.Column.Range, "Conflicting attributes", "The attribute column names the whole line when there is no regex; "+
			"with a regex the named groups are the columns. Remove column.")
	}
	return plan.Input{Format: plan.FormatLines, Lines: li}, sc
}

func (c *compiler) lowerKeyValue(in *lang.Input) (plan.Input, *scope) {
	ki := &plan.KeyValueInput{PairSeparator: " ", KVSeparator: "=", StripQuotes: true, Comment: in.Comment.Strings(), Keys: in.Keys.Strings()}
	if in.PairSeparator != nil {
		ki.PairSeparator = in.PairSeparator.Value
	}
	if in.KVSeparator != nil {
		ki.KVSeparator = in.KVSeparator.Value
	}
	if in.StripQuotes != nil {
		ki.StripQuotes = in.StripQuotes.Value
	}
	for _, s := range []*lang.String{in.PairSeparator, in.KVSeparator} {
		if s != nil && s.Value == "" {
			c.errorf(s.Range, "Empty separator", "A separator must be at least one character.")
		}
	}
	sc := newScope("key")
	c.declareColumns(sc, in.Keys, plan.VarString)
	sc.set(plan.VarNameRecord, plan.VarStringMap)
	return plan.Input{Format: plan.FormatKeyValue, KeyValue: ki}, sc
}

func (c *compiler) lowerHTMLTable(in *lang.Input) (plan.Input, *scope) {
	hi := &plan.HTMLTableInput{Columns: in.Columns.Strings()}
	if in.TableIndex != nil {
		hi.TableIndex = int(in.TableIndex.Value)
	}
	switch {
	case in.AttributeName != nil && in.AttributeValue == nil:
		c.errorf(in.AttributeName.Range, "Incomplete table filter",
			"The attribute attribute_name selects tables by the value of that attribute; add attribute_value.")
	case in.AttributeName == nil && in.AttributeValue != nil:
		c.errorf(in.AttributeValue.Range, "Incomplete table filter",
			"The attribute attribute_value is the value of the table attribute named by attribute_name; add attribute_name.")
	case in.AttributeName != nil && in.AttributeName.Value == "":
		c.errorf(in.AttributeName.Range, "Empty attribute name",
			"The attribute_name names a table attribute such as \"class\" or \"id\"; remove it to consider every table.")
	case in.AttributeName != nil:
		hi.AttributeName, hi.AttributeValue = strings.ToLower(in.AttributeName.Value), in.AttributeValue.Value
	}
	if in.SkipHead != nil && in.SkipHead.Value {
		hi.SkipRows = 1
	}
	sc := newScope("column")
	c.declareColumns(sc, in.Columns, plan.VarString)
	sc.set(plan.VarNameRecord, plan.VarStringMap)
	sc.set(plan.VarNameRow, plan.VarStringList)
	return plan.Input{Format: plan.FormatHTMLTable, HTML: hi}, sc
}
