// SPDX-License-Identifier: AGPL-3.0-or-later

package plan

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Dump writes p as deterministic text: every feed, parser, bot, pipeline and
// node with what the compiler resolved. It is what `intelmq plan` prints and
// what golden tests compare; like expr's Program.Disassemble, it changes only
// when the plan does.
func Dump(w io.Writer, p *Plan) error {
	d := &dumper{}
	for _, f := range p.Feeds {
		d.feed(f)
	}
	for _, x := range p.Parsers {
		d.parser(x)
	}
	for _, b := range p.Bots {
		d.line(0, "%s %s = %s  # %s", b.Kind, b.Name, b.Type, b.Origin)
		d.params(1, b.Params)
	}
	for _, x := range p.Pipelines {
		d.pipeline(x)
	}
	if len(p.Nodes) > 0 {
		d.line(0, "graph")
	}
	for _, n := range p.Nodes {
		d.node(n)
	}
	_, err := io.WriteString(w, d.b.String())
	return err
}

type dumper struct{ b strings.Builder }

func (d *dumper) line(indent int, format string, args ...any) {
	d.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

func (d *dumper) feed(f *Feed) {
	d.line(0, "feed %s  # %s", f.Name, f.Origin)
	d.line(1, "feed.name = %q", f.FeedName)
	d.line(1, "feed.provider = %q", f.Provider)
	d.line(1, "feed.accuracy = %s", strconv.FormatFloat(f.Accuracy, 'f', -1, 64))
	if f.Code != "" {
		d.line(1, "feed.code = %q", f.Code)
	}
	if f.Documentation != "" {
		d.line(1, "feed.documentation = %q", f.Documentation)
	}
	if f.Parser != nil {
		d.line(1, "parser = parser.%s", f.Parser.Name)
	}
	if f.ParserBot != nil {
		d.line(1, "parser = bot.%s  # %s", f.ParserBot.Name, f.ParserBot.Type)
	}
	if f.Collector != nil {
		d.line(1, "collector = %s", f.Collector.Type)
		d.params(2, f.Collector.Params)
	}
	if f.IntelMQ != nil {
		d.line(1, "intelmq_module = %q", f.IntelMQ.Module)
		keys := make([]string, 0, len(f.IntelMQ.Parameters))
		for k := range f.IntelMQ.Parameters {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			d.line(2, "%s = %s", k, formatValue(f.IntelMQ.Parameters[k]))
		}
	}
}

func (d *dumper) params(indent int, p Params) {
	for _, n := range p.Names() {
		d.line(indent, "%s = %s", n, p.Format(n))
	}
}

func (d *dumper) parser(p *Parser) {
	d.line(0, "parser %s  # %s", p.Name, p.Origin)
	d.input(p.Input)
	vars := make([]string, len(p.Vars))
	for i, v := range p.Vars {
		vars[i] = v.Name + " " + v.Type.String()
	}
	d.line(1, "vars: %s", strings.Join(vars, ", "))
	for _, c := range p.Consts {
		d.line(1, "let %s %s = %s", c.Name, c.Type, formatConst(c.Value))
	}
	for _, r := range p.Reject {
		d.line(1, "reject if %s  %q", r.When.Source, r.Message)
	}
	if p.Skip != nil {
		d.line(1, "skip if %s", p.Skip.Source)
	}
	if p.Spread != nil {
		d.line(1, "spread %s", p.Spread.Source)
	}
	d.fields(1, p.Set, p.Map)
	for _, e := range p.Each {
		d.line(1, "each item %s in %s", e.ItemType, e.List.Source)
		if e.Skip != nil {
			d.line(2, "skip if %s", e.Skip.Source)
		}
		d.fields(2, e.Set, e.Map)
		if e.Raw != nil {
			d.line(2, "raw = %s", e.Raw.Source)
		}
	}
	if p.Raw != nil {
		d.line(1, "raw = %s", p.Raw.Source)
	}
	for _, k := range p.DefaultFields {
		d.line(1, "default %s = %s", k.Field, k.Value.String())
	}
	if len(p.CopyCollectorProvidedFields) > 0 {
		d.line(1, "copy %s", strings.Join(p.CopyCollectorProvidedFields, ", "))
	}
	d.convert(p.Convert)
}

func (d *dumper) fields(indent int, set []Constant, maps []*Mapping) {
	for _, k := range set {
		d.line(indent, "set %s = %s", k.Field, formatConst(k.Value.Any()))
	}
	for _, m := range maps {
		var opts []string
		if !m.Required {
			opts = append(opts, "optional")
		}
		if m.Extract != nil {
			opts = append(opts, "extract "+strconv.Quote(m.Extract.String()))
		}
		if m.DecodeJSON {
			opts = append(opts, "json")
		}
		suffix := ""
		if len(opts) > 0 {
			suffix = "  [" + strings.Join(opts, ", ") + "]"
		}
		verb := "map"
		if m.Overwrite {
			verb = "overwrite"
		}
		d.line(indent, "%s %s = %s  (%s)%s", verb, strings.Join(m.Fields, "|"), m.Value.Source, m.Value.Type, suffix)
	}
}

func (d *dumper) convert(c Conversions) {
	if c.TimeFormat != "" {
		d.line(1, "time_format = %q", c.TimeFormat)
	}
	if c.DefaultURLProtocol != "" {
		d.line(1, "default_url_protocol = %q", c.DefaultURLProtocol)
	}
	if len(c.TypeTranslation) > 0 {
		d.line(1, "type_translation = %s (keep untranslated: %t)", formatValue(c.TypeTranslation), c.KeepUntranslated)
	}
}

func (d *dumper) input(in Input) {
	switch in.Format {
	case FormatCSV:
		c := in.CSV
		d.line(1, "input csv delimiter=%q quote=%q comment=%s skip_lines=%d header=%t lazy_quotes=%t",
			c.Delimiter, c.Quote, formatValue(c.Comment), c.SkipLines, c.Header, c.LazyQuotes)
		if len(c.Columns) > 0 {
			d.line(2, "columns = %s", formatValue(c.Columns))
		}
		if c.Filter != nil {
			d.line(2, "filter keep=%t text=%q", c.Filter.Keep, c.Filter.Text)
		}
	case FormatJSON, FormatJSONLines:
		d.line(1, "input %s path=%s single=%t comment=%s", in.Format, formatValue(in.JSON.Path), in.JSON.Single, formatValue(in.JSON.Comment))
	case FormatLines:
		re := ""
		if in.Lines.Regex != nil {
			re = in.Lines.Regex.String()
		}
		d.line(1, "input lines regex=%q column=%q comment=%s skip_lines=%d ignore_no_match=%t",
			re, in.Lines.Column, formatValue(in.Lines.Comment), in.Lines.SkipLines, in.Lines.IgnoreNoMatch)
	case FormatKeyValue:
		k := in.KeyValue
		d.line(1, "input keyvalue pair_separator=%q kv_separator=%q strip_quotes=%t keys=%s comment=%s",
			k.PairSeparator, k.KVSeparator, k.StripQuotes, formatValue(k.Keys), formatValue(k.Comment))
	case FormatHTMLTable:
		h := in.HTML
		d.line(1, "input html_table table_index=%d attribute_name=%q attribute_value=%q skip_rows=%d",
			h.TableIndex, h.AttributeName, h.AttributeValue, h.SkipRows)
		if len(h.Columns) > 0 {
			d.line(2, "columns = %s", formatValue(h.Columns))
		}
	default:
		d.line(1, "input none")
	}
}

func (d *dumper) pipeline(p *Pipeline) {
	d.line(0, "pipeline %s  # %s", p.Name, p.Origin)
	for _, f := range p.Feeds {
		d.line(1, "feed %s", f.Name)
	}
	for _, b := range p.Experts {
		d.line(1, "expert %s", b.Name)
	}
	for _, r := range p.Routes {
		when := "always"
		if r.When != nil {
			when = "when " + r.When.Source
		}
		to := "drop"
		if !r.Drop {
			ids := make([]string, len(r.To))
			for i, n := range r.To {
				ids[i] = n.ID
			}
			to = "to " + strings.Join(ids, ", ")
		}
		d.line(1, "route %s: %s -> %s", r.Name, when, to)
	}
}

func (d *dumper) node(n *Node) {
	what := n.Kind.String()
	if n.Bot != nil {
		what += " " + n.Bot.Type
	}
	d.line(1, "%s (%s)", n.ID, what)
	for _, sw := range n.Out {
		d.line(2, "switch")
		for _, c := range sw.Cases {
			cond := ""
			if c.When != nil {
				cond = " when " + c.When.Source
			}
			ids := make([]string, len(c.To))
			for i, t := range c.To {
				ids[i] = t.ID
			}
			to := strings.Join(ids, ", ")
			if to == "" {
				to = "drop"
			}
			d.line(3, "%s%s -> %s", c.Path, cond, to)
		}
	}
}

// formatConst formats a constant's Go value deterministically.
func formatConst(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatConst(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = strconv.Quote(k) + " = " + formatConst(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case nil:
		return "null"
	}
	return formatValue(v)
}
