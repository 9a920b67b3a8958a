// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"fmt"
	"strings"

	"github.com/intelmq-go/intelmq/compiler/plan"
)

// newReader returns the Reader a parser's Input asks for over the text of
// src; keepComments makes it keep its comment lines.
func newReader(in plan.Input, src textSource, keepComments bool) (Reader, error) {
	switch in.Format {
	case plan.FormatCSV:
		c := in.CSV
		if c == nil {
			return nil, fmt.Errorf("the csv input has no options")
		}
		opt := CSVOptions{Comments: c.Comment, Skip: c.SkipLines, Header: c.Header, LazyQuotes: c.LazyQuotes,
			KeepComments: keepComments}
		if c.Delimiter != 0 {
			opt.Delimiter = string(c.Delimiter)
		}
		if c.Quote == 0 {
			opt.NoQuote = true
		} else {
			opt.Quote = string(c.Quote)
		}
		r, err := newCSVReader(src, opt)
		if err != nil {
			return nil, err
		}
		return r, nil
	case plan.FormatJSON:
		var opt JSONOptions
		if in.JSON != nil {
			opt = JSONOptions{Path: in.JSON.Path, Single: in.JSON.Single}
		}
		return NewJSONReader(wholeReport(src), opt)
	case plan.FormatJSONLines:
		opt := JSONLinesOptions{KeepComments: keepComments}
		if in.JSON != nil {
			opt.Comments = in.JSON.Comment
		}
		return newJSONLinesReader(src, opt), nil
	case plan.FormatLines:
		opt := LinesOptions{KeepComments: keepComments}
		if l := in.Lines; l != nil {
			opt = LinesOptions{Comments: l.Comment, Skip: l.SkipLines, Pattern: l.Regex, SkipUnmatched: l.IgnoreNoMatch,
				KeepComments: keepComments}
		}
		r, err := newLinesReader(src, opt)
		if err != nil {
			return nil, err
		}
		return r, nil
	case plan.FormatKeyValue:
		opt := KVOptions{KeepComments: keepComments}
		if kv := in.KeyValue; kv != nil {
			opt = KVOptions{PairSeparator: kv.PairSeparator, KVSeparator: kv.KVSeparator,
				KeepQuotes: !kv.StripQuotes, Comments: kv.Comment, KeepComments: keepComments}
		}
		return newKVReader(src, opt), nil
	case plan.FormatHTMLTable:
		h := in.HTML
		if h == nil {
			return nil, fmt.Errorf("the html_table input has no options")
		}
		return NewHTMLTableReader(wholeReport(src), HTMLTableOptions{TableIndex: h.TableIndex,
			AttrName: h.AttributeName, AttrValue: h.AttributeValue, SkipRows: h.SkipRows})
	}
	return nil, fmt.Errorf("unknown input format %v", in.Format)
}

// columnNames returns the names of the positional fields of a parser's
// records: the declared CSV columns (checked against a header row), the
// header row itself, the line pattern's groups, the single line column or
// the declared HTML table cells.
// It returns nil for JSON and key=value input.
func columnNames(in plan.Input, r Reader) ([]string, error) {
	switch in.Format {
	case plan.FormatCSV:
		declared := in.CSV.Columns
		header := r.Columns()
		if !in.CSV.Header {
			return declared, nil
		}
		if len(declared) == 0 {
			return header, nil
		}
		if !sameColumns(declared, header) {
			return nil, fmt.Errorf("csv: the header row names the columns %q, but the parser declares %q",
				header, declared)
		}
		return declared, nil
	case plan.FormatLines:
		if in.Lines != nil && in.Lines.Regex != nil {
			return r.Columns(), nil
		}
		if in.Lines != nil && in.Lines.Column != "" {
			return []string{in.Lines.Column}, nil
		}
		return []string{"value"}, nil
	case plan.FormatHTMLTable:
		return in.HTML.Columns, nil
	}
	return nil, nil
}

// sameColumns compares declared column names with a header row, ignoring
// white space around the header's names.
func sameColumns(declared, header []string) bool {
	if len(declared) != len(header) {
		return false
	}
	for i, d := range declared {
		if strings.TrimSpace(header[i]) != d {
			return false
		}
	}
	return true
}
