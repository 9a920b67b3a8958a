// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
	"github.com/intelmq-go/intelmq/stdlib/datetime"
)

// ignoreColumn is IntelMQ generic CSV's marker of a column to skip.
const ignoreColumn = "__IGNORE__"

// defaultURLProtocol is IntelMQ generic CSV's default_url_protocol.
const defaultURLProtocol = "http://"

// lowerGeneric lowers the options of IntelMQ's generic CSV parser into
// mappings and conversions, so a generic CSV configuration ports verbatim.
func (c *compiler) lowerGeneric(lp *lang.Parser, p *plan.Parser, sc *scope, fs fieldSet) {
	g := &lp.Generic
	c.conversions(lp, p)
	if g.Fields == nil {
		c.genericOnly(g)
		return
	}
	if lp.Input != nil && lp.Input.Format != schema.FormatCSV && lp.Input.Format != schema.FormatHTMLTable {
		c.errorf(g.Fields.Range, "Fields need a csv input", fmt.Sprintf(
			"The attribute fields maps CSV columns or HTML table cells to fields, as IntelMQ generic CSV's columns does, "+
				"but this parser reads %s. Use map with expressions over the record instead.", lp.Input.Format))
		return
	}
	if g.FieldsRequired != nil && len(g.FieldsRequired.Values) != len(g.Fields.Values) {
		c.errorf(g.FieldsRequired.Range, "Mismatched fields_required", fmt.Sprintf(
			"The attribute fields_required has %d entries but fields has %d; give one bool per column.",
			len(g.FieldsRequired.Values), len(g.Fields.Values)))
		g.FieldsRequired = nil
	}
	if g.IgnoreValues != nil && len(g.IgnoreValues.Values) != len(g.Fields.Values) {
		c.errorf(g.IgnoreValues.Range, "Mismatched ignore_values", fmt.Sprintf(
			"The attribute ignore_values has %d entries but fields has %d; give one value per column (\"\" to ignore nothing).",
			len(g.IgnoreValues.Values), len(g.Fields.Values)))
		g.IgnoreValues = nil
	}
	split := c.splitOption(g)
	regexes := c.columnRegexes(g)
	jsonFields := c.dataTypes(g)
	for i, col := range g.Fields.Values {
		required := g.FieldsRequired == nil || g.FieldsRequired.Values[i].Value
		src := cellExpr(i, g.IgnoreValues, split, col.Value)
		if mp := c.genericColumn(col, src, required, sc, fs, regexes, jsonFields); mp != nil {
			p.Map = append(p.Map, mp)
		}
	}
	for _, e := range mapEntries(g.ComposeFields) {
		if mp := c.compose(e, sc, fs); mp != nil {
			p.Map = append(p.Map, mp)
		}
	}
}

// genericOnly reports column options given without fields.
func (c *compiler) genericOnly(g *lang.GenericCSV) {
	for _, m := range []*lang.StringMap{g.ColumnRegexSearch, g.DataType} {
		if m != nil {
			c.errorf(m.Range, "Option needs fields", "This option applies to the columns listed in fields "+
				"(IntelMQ generic CSV's columns); add fields or remove the option.")
		}
	}
	if g.FieldsRequired != nil {
		c.errorf(g.FieldsRequired.Range, "Option needs fields", "The attribute fields_required gives one bool per entry of fields; add fields or remove it.")
	}
	if g.IgnoreValues != nil {
		c.errorf(g.IgnoreValues.Range, "Option needs fields", "The attribute ignore_values gives one value per entry of fields; add fields or remove it.")
	}
	for _, r := range []hcl.Range{rangeOfStr(g.SplitColumn), rangeOfStr(g.SplitSeparator), rangeOfNum(g.SplitIndex)} {
		if r != (hcl.Range{}) {
			c.errorf(r, "Option needs fields", "Splitting applies to a column listed in fields; add fields or remove the split options.")
		}
	}
}

// splitOpt is IntelMQ html_table's column split: the cell of the column
// mapped to Field is split at Sep and the part at Index kept.
type splitOpt struct {
	Field string
	Sep   string
	Index int
}

// splitOption checks the split options and returns them, or nil.
func (c *compiler) splitOption(g *lang.GenericCSV) *splitOpt {
	if g.SplitColumn == nil {
		for _, r := range []hcl.Range{rangeOfStr(g.SplitSeparator), rangeOfNum(g.SplitIndex)} {
			if r != (hcl.Range{}) {
				c.errorf(r, "Option needs split_column", "The split options apply to the column of the field named by split_column; add split_column or remove this option.")
			}
		}
		return nil
	}
	if g.SplitSeparator == nil || g.SplitSeparator.Value == "" {
		c.errorf(g.SplitColumn.Range, "Missing split separator",
			"The attribute split_column splits its cell at split_separator; add a non-empty split_separator, e.g. \"|\".")
		return nil
	}
	found := false
	for _, col := range g.Fields.Values {
		for _, k := range strings.Split(col.Value, "|") {
			found = found || strings.TrimSpace(k) == g.SplitColumn.Value
		}
	}
	if !found {
		c.errorf(g.SplitColumn.Range, "Unknown split column", fmt.Sprintf(
			"The split_column %q is none of the fields listed in fields; name the field whose cell is split.", g.SplitColumn.Value))
		return nil
	}
	s := &splitOpt{Field: g.SplitColumn.Value, Sep: g.SplitSeparator.Value}
	if g.SplitIndex != nil {
		s.Index = int(g.SplitIndex.Value)
	}
	return s
}

func rangeOfStr(s *lang.String) hcl.Range {
	if s == nil {
		return hcl.Range{}
	}
	return s.Range
}

func rangeOfNum(n *lang.Number) hcl.Range {
	if n == nil {
		return hcl.Range{}
	}
	return n.Range
}

// cellExpr returns the expression of the value of column i: its cell, nil
// when the cell equals the column's ignore value, and the kept part of the
// cell when the column is the split column (IntelMQ html_table).
func cellExpr(i int, ignore *lang.StringList, split *splitOpt, col string) string {
	cell := fmt.Sprintf("get(row, %d)", i)
	var ign string
	if ignore != nil {
		ign = ignore.Values[i].Value
	}
	splits := false
	if split != nil {
		for _, k := range strings.Split(col, "|") {
			splits = splits || strings.TrimSpace(k) == split.Field
		}
	}
	if ign == "" && !splits {
		return cell
	}
	value := "v"
	if splits {
		value = fmt.Sprintf("trim(split(v, %s)[%d])", strconv.Quote(split.Sep), split.Index)
	}
	return fmt.Sprintf("let v = %s ?? \"\"; v == \"\" || v == %s ? nil : %s", cell, strconv.Quote(ign), value)
}

// conversions fills the parser's Conversions and the default field of
// IntelMQ's deprecated `type`.
func (c *compiler) conversions(lp *lang.Parser, p *plan.Parser) {
	g := &lp.Generic
	if g.TimeFormat != nil {
		if err := datetime.ValidFormat(g.TimeFormat.Value); err != nil {
			c.errorf(g.TimeFormat.Range, "Invalid time format", fmt.Sprintf("%s. The formats are timestamp, windows_nt, "+
				"epoch_millis, utc_isoformat, fuzzy, from_format|<strftime> and from_format_midnight|<strftime>.", capitalize(err.Error())))
		} else {
			p.Convert.TimeFormat = g.TimeFormat.Value
		}
	}
	if g.Fields != nil {
		p.Convert.DefaultURLProtocol = defaultURLProtocol
	}
	if g.DefaultURLProtocol != nil {
		p.Convert.DefaultURLProtocol = g.DefaultURLProtocol.Value
	}
	if g.TypeTranslation != nil {
		p.Convert.TypeTranslation = map[string]string{}
		for _, e := range g.TypeTranslation.Entries {
			if _, ok := c.constant("classification.type", e.KeyRange, cty.StringVal(e.Value.Value), e.Value.Range); ok {
				p.Convert.TypeTranslation[e.Key] = e.Value.Value
			}
		}
	}
	if g.Type != nil {
		if k, ok := c.constant("classification.type", g.Type.Range, cty.StringVal(g.Type.Value), g.Type.Range); ok {
			p.DefaultFields = append(p.DefaultFields, k)
			p.Convert.KeepUntranslated = true
		}
	}
}

func (c *compiler) columnRegexes(g *lang.GenericCSV) map[string]*regexp.Regexp {
	out := map[string]*regexp.Regexp{}
	for _, e := range mapEntries(g.ColumnRegexSearch) {
		c.field(e.Key, e.KeyRange)
		re, err := regexp.Compile(e.Value.Value)
		if err != nil {
			c.errorf(e.Value.Range, "Invalid regex", fmt.Sprintf("The regex for %q does not compile: %s.", e.Key, err))
			continue
		}
		out[e.Key] = re
	}
	return out
}

func (c *compiler) dataTypes(g *lang.GenericCSV) map[string]bool {
	out := map[string]bool{}
	for _, e := range mapEntries(g.DataType) {
		c.field(e.Key, e.KeyRange)
		if e.Value.Value != "json" {
			c.errorf(e.Value.Range, "Invalid data type", fmt.Sprintf(
				"The only data type is \"json\" (decode the value as JSON); got %q.", e.Value.Value))
			continue
		}
		out[e.Key] = true
	}
	return out
}

func mapEntries(m *lang.StringMap) []lang.StringEntry {
	if m == nil {
		return nil
	}
	return m.Entries
}

// genericColumn lowers an entry of fields, "field", "a|b" alternatives,
// "__IGNORE__" or "", whose value is the expression source.
func (c *compiler) genericColumn(col lang.String, source string, required bool, sc *scope, fs fieldSet,
	regexes map[string]*regexp.Regexp, jsonFields map[string]bool) *plan.Mapping {
	var keys []string
	for _, k := range strings.Split(col.Value, "|") {
		k = strings.TrimSpace(k)
		if k == ignoreColumn || k == "" {
			// IntelMQ stops at an ignore marker: the value counts as added.
			required = false
			break
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil
	}
	src := &lang.Expr{Source: source, Range: col.Range}
	mp := c.mapping(strings.Join(keys, "|"), col.Range, src, sc, fs)
	if mp == nil {
		return nil
	}
	mp.Required = required
	for _, k := range mp.Fields {
		if re := regexes[k]; re != nil && mp.Extract == nil {
			mp.Extract = re
		}
		mp.DecodeJSON = mp.DecodeJSON || jsonFields[k]
	}
	return mp
}

// compose lowers a compose_fields entry: a Python format string over the
// row's cells becomes a string concatenation.
func (c *compiler) compose(e lang.StringEntry, sc *scope, fs fieldSet) *plan.Mapping {
	src, err := composeExpr(e.Value.Value)
	if err != nil {
		c.errorf(e.Value.Range, "Unsupported format", fmt.Sprintf(
			"The format %q cannot be ported: %s. compose_fields supports {N} and {} placeholders and {{ }} escapes.",
			e.Value.Value, err))
		return nil
	}
	return c.mapping(e.Key, e.KeyRange, &lang.Expr{Source: src, Range: e.Value.Range}, sc, fs)
}

// composeExpr translates a Python format string such as "http://{0}{1}"
// into the expression `"http://" + row[0] + row[1]`.
func composeExpr(format string) (string, error) {
	var parts []string
	var lit strings.Builder
	auto := 0
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, strconv.Quote(lit.String()))
			lit.Reset()
		}
	}
	for i := 0; i < len(format); i++ {
		ch := format[i]
		switch {
		case ch == '{' && i+1 < len(format) && format[i+1] == '{':
			lit.WriteByte('{')
			i++
		case ch == '}' && i+1 < len(format) && format[i+1] == '}':
			lit.WriteByte('}')
			i++
		case ch == '{':
			end := strings.IndexByte(format[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("unclosed {")
			}
			field := format[i+1 : i+end]
			n := auto
			if field == "" {
				auto++
			} else {
				v, err := strconv.Atoi(field)
				if err != nil || v < 0 {
					return "", fmt.Errorf("placeholder {%s} is not a column index", field)
				}
				n = v
			}
			flush()
			parts = append(parts, fmt.Sprintf("row[%d]", n))
			i += end
		case ch == '}':
			return "", fmt.Errorf("single } without {")
		default:
			lit.WriteByte(ch)
		}
	}
	flush()
	if len(parts) == 0 {
		return `""`, nil
	}
	return strings.Join(parts, " + "), nil
}
