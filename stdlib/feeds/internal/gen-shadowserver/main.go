// SPDX-License-Identifier: AGPL-3.0-or-later

// Command gen-shadowserver writes the HCL port of IntelMQ's Shadowserver
// parser from a Shadowserver schema, the intelmq.json file Shadowserver
// publishes for IntelMQ (which IntelMQ downloads at run time): a parser
// whose let table has an entry per report type, chosen by the report's
// file name (extra.file_name) as IntelMQ does.
//
//	go run ./stdlib/feeds/internal/gen-shadowserver [-overwrite=false] SCHEMA OUT.hcl
//
// `go generate ./stdlib/feeds/internal/gen-shadowserver` writes the
// library's parser (stdlib/feeds/parsers/shadowserver.hcl) from the copy of
// the schema kept here: intelmq.json, Shadowserver's file of the same name
// in github.com/The-Shadowserver-Foundation/report_schema, unchanged (see
// stdlib/feeds/README.md for its version and terms).
//
// Each report type keeps the schema's feed name, documentation URL,
// constant fields and required and optional columns, in a compact form
// that costs the HCL parser little: every column item and constant is
// listed once in items, and a report type is one string of item numbers.
// The function shadowserverEvent (stdlib/funcs) maps a row by it as
// IntelMQ's parser does. A report whose file name names no report type is
// rejected. With -overwrite (the default), a second parser,
// shadowserver_overwrite, ports IntelMQ's parameter overwrite = true:
// feed.name is always the schema's.
package main

//go:generate go run . intelmq.json ../../parsers/shadowserver.hcl

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/intelmq-go/intelmq/lang"
)

func main() {
	overwrite := flag.Bool("overwrite", true, "also write the parser shadowserver_overwrite (IntelMQ's overwrite = true)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gen-shadowserver [-overwrite=false] SCHEMA OUT.hcl")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		os.Exit(2)
	}
	src, err := os.ReadFile(flag.Arg(0))
	if err == nil {
		var out []byte
		if out, err = Generate(src, Options{Overwrite: *overwrite}); err == nil {
			err = os.WriteFile(flag.Arg(1), out, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-shadowserver:", err)
		os.Exit(1)
	}
}

// Options choose what Generate writes.
type Options struct {
	// Overwrite adds the parser shadowserver_overwrite.
	Overwrite bool
}

// report is one report type of the schema. Fields are kept as decoded
// JSON: an item is [field, column, conversion, pass_row], field may be
// false.
type report struct {
	FeedName       string              `json:"feed_name"`
	FileName       string              `json:"file_name"`
	URL            string              `json:"url"`
	ConstantFields map[string]any      `json:"constant_fields"`
	RequiredFields [][]json.RawMessage `json:"required_fields"`
	OptionalFields [][]json.RawMessage `json:"optional_fields"`
}

// meta is the schema's _meta entry.
type meta struct {
	DateCreated string `json:"date_created"`
}

// pattern is IntelMQ's file name pattern; the report type is its group 1.
const pattern = `^(?:\d{4}-\d{2}-\d{2}-)?(\w+)(-\w+)*\.csv$`

// docs is the start of most report types' documentation URL, which the
// table leaves out.
const docs = "https://www.shadowserver.org/what-we-do/network-reporting/"

// kind is the report type named by the report's file name, "" when the
// name does not match.
const kind = `regexExtract(report['extra.file_name'], pattern, 1)`

// rawExpr is IntelMQ's recover_line_csv_dict without a line: the header
// row as Python's csv.DictWriter writes it with the unix dialect (every
// name quoted), the line ending, the row's text, stripped.
const rawExpr = `trim('"' + join(map(split(trim(header), ','), replace(trim(#, '"'), '"', '""')), '","') + '"' + newline + line)`

// Generate returns the HCL of the parsers for the schema src.
func Generate(src []byte, opts Options) ([]byte, error) {
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(src, &entries); err != nil {
		return nil, err
	}
	var m meta
	if raw, ok := entries["_meta"]; ok {
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("_meta: %w", err)
		}
		delete(entries, "_meta")
	}
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	// Every column item and constant of every report type goes into one
	// list, items; a report type lists the indexes of its own.
	type reportRefs struct {
		fileName, feed, url string
		groups              [3][]string // required, optional, constants
	}
	var reports []reportRefs
	uses := map[string]int{}
	seen := map[string]string{}
	for _, n := range names {
		var r report
		if err := json.Unmarshal(entries[n], &r); err != nil {
			return nil, fmt.Errorf("report %s: %w", n, err)
		}
		if r.FileName == "" {
			return nil, fmt.Errorf("report %s has no file_name", n)
		}
		if prev, dup := seen[r.FileName]; dup {
			return nil, fmt.Errorf("reports %s and %s have the same file_name %q", prev, n, r.FileName)
		}
		seen[r.FileName] = n
		if strings.Contains(r.FeedName, "|") || strings.Contains(r.URL, "|") {
			return nil, fmt.Errorf("report %s: the feed name or URL holds \"|\"", n)
		}
		rr := reportRefs{fileName: r.FileName, feed: r.FeedName, url: strings.TrimPrefix(r.URL, docs)}
		for g, group := range [][][]json.RawMessage{r.RequiredFields, r.OptionalFields} {
			for i, it := range group {
				s, err := compactItem(it)
				if err != nil {
					return nil, fmt.Errorf("report %s: %s_fields[%d]: %w", n, [...]string{"required", "optional"}[g], i, err)
				}
				rr.groups[g] = append(rr.groups[g], s)
			}
		}
		keys := make([]string, 0, len(r.ConstantFields))
		for k := range r.ConstantFields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, ok := r.ConstantFields[k].(string)
			if !ok || strings.Contains(k, ":") || strings.Contains(k, "=") {
				return nil, fmt.Errorf("report %s: constant %s = %v cannot be written as field=value", n, k, r.ConstantFields[k])
			}
			rr.groups[2] = append(rr.groups[2], k+"="+v)
		}
		for _, g := range rr.groups {
			for _, it := range g {
				uses[it]++
			}
		}
		reports = append(reports, rr)
	}
	// Items are numbered in the order report types first use them, so a
	// report type's own items have consecutive numbers, written as a range.
	var items []string
	index := map[string]int{}
	for _, rr := range reports {
		for _, g := range rr.groups {
			for _, it := range g {
				if _, ok := index[it]; !ok {
					index[it] = len(items)
					items = append(items, it)
				}
			}
		}
	}
	var table strings.Builder
	table.WriteString("    pattern = " + hclString(pattern) + "\n")
	table.WriteString("    docs = " + hclString(docs) + "\n")
	// Several items a line: the parser pays for every byte, indentation
	// included.
	table.WriteString("    items = [")
	width := 0
	for _, it := range items {
		q := hclString(it) + ","
		if width == 0 || width+len(q) > 110 {
			table.WriteString("\n     ")
			width = 5
		}
		table.WriteString(" " + q)
		width += 1 + len(q)
	}
	table.WriteString("\n    ]\n")
	table.WriteString("    reports = {\n")
	for _, rr := range reports {
		parts := []string{rr.feed, rr.url}
		for _, g := range rr.groups {
			parts = append(parts, refList(g, index))
		}
		// A blank line between entries keeps the formatter from aligning
		// the "=" of all entries with spaces, which the parser would read.
		fmt.Fprintf(&table, "\n      %s = %s\n", hclString(rr.fileName), hclString(strings.Join(parts, "|")))
	}
	table.WriteString("    }\n")

	var b strings.Builder
	b.WriteString("# SPDX-License-Identifier: AGPL-3.0-or-later\n\n")
	b.WriteString("# Generated by stdlib/feeds/internal/gen-shadowserver from a Shadowserver schema")
	if m.DateCreated != "" {
		b.WriteString(" (created " + m.DateCreated + ")")
	}
	b.WriteString("; do not edit.\n\n")
	variants := []struct{ name, comment, feed string }{
		{"shadowserver", "IntelMQ's Shadowserver parser: the report type is the file name's first\n" +
			"# word (2019-01-01-scan_smb-geo.csv is scan_smb); feed.name is the schema's\n" +
			"# when the report has none.", "report['feed.name'] == nil ? split(reports[" + kind + "], '|')[0] : nil"},
	}
	if opts.Overwrite {
		variants = append(variants, struct{ name, comment, feed string }{"shadowserver_overwrite",
			"The same with IntelMQ's parameter overwrite = true: feed.name is always\n# the schema's.", "split(reports[" + kind + "], '|')[0]"})
	}
	overwrite := func(feed string) {
		b.WriteString("  overwrite = {\n")
		b.WriteString("    \"feed.name\" = " + hclString(feed) + "\n")
		b.WriteString("    \"feed.documentation\" = " + hclString("report['feed.documentation'] == nil ? "+
			"(let u = split(reports["+kind+"], '|')[1]; u == '' ? nil : (u contains '://' ? u : docs + u)) : nil") + "\n")
		b.WriteString("  }\n")
	}
	for i, p := range variants {
		b.WriteString("# " + p.comment + "\n")
		b.WriteString("parser " + hclString(p.name) + " {\n")
		if i > 0 {
			// A variant differs in its overwrite block only.
			b.WriteString("  extends = parser." + variants[0].name + "\n")
			overwrite(p.feed)
			b.WriteString("}\n\n")
			continue
		}
		b.WriteString("  intelmq_module = \"intelmq.bots.parsers.shadowserver.parser\"\n")
		b.WriteString("  csv {\n    header = true\n    lazy_quotes = true\n  }\n")
		b.WriteString("  let = {\n" + table.String() + "  }\n")
		for _, r := range []struct{ when, message string }{
			{"report['extra.file_name'] == nil", "No feedname given as parameter and the processed report has no 'extra.file_name'."},
			{kind + " == ''", "The report's 'extra.file_name' is not a Shadowserver file name."},
			{"!(" + kind + " in reports)", "No Shadowserver report type has the report's file name."},
		} {
			b.WriteString("  reject {\n    when    = " + hclString(r.when) + "\n    message = " + hclString(r.message) + "\n  }\n")
		}
		b.WriteString("  spread = " + hclString("shadowserverEvent(items, reports["+kind+"], record)") + "\n")
		overwrite(p.feed)
		b.WriteString("  raw = " + hclString(rawExpr) + "\n")
		b.WriteString("}\n\n")
	}
	formatted, diags := lang.Format("shadowserver.hcl", []byte(strings.TrimSuffix(b.String(), "\n")))
	if diags.HasErrors() {
		return nil, diags
	}
	return formatted, nil
}

// refList writes the numbers of items, a run of three or more consecutive
// numbers as a range "first-last".
func refList(items []string, index map[string]int) string {
	var out []string
	for i := 0; i < len(items); {
		j := i
		for j+1 < len(items) && index[items[j+1]] == index[items[j]]+1 {
			j++
		}
		if j-i >= 2 {
			out = append(out, strconv.Itoa(index[items[i]])+"-"+strconv.Itoa(index[items[j]]))
			i = j + 1
			continue
		}
		out = append(out, strconv.Itoa(index[items[i]]))
		i++
	}
	return strings.Join(out, " ")
}

// compactItem writes one [field, column, conversion, pass_row] item in the
// compact form shadowserverEvent reads: "field:column:conversion:row",
// without the parts that are absent (no conversion, pass_row false), and
// "false" for the field false.
func compactItem(it []json.RawMessage) (string, error) {
	if len(it) < 2 || len(it) > 4 {
		return "", fmt.Errorf("want [field, column, conversion, pass_row], got %d elements", len(it))
	}
	var parts []string
	for i, raw := range it {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", err
		}
		switch t := v.(type) {
		case string:
			if !token.MatchString(t) || i == 3 {
				return "", fmt.Errorf("element %d (%s) cannot be written in the compact form", i, raw)
			}
			parts = append(parts, t)
		case bool:
			switch {
			case i == 0 && !t:
				parts = append(parts, "false")
			case i == 3 && t:
				parts = append(parts, "row")
			case i == 3:
			default:
				return "", fmt.Errorf("element %d is %v", i, t)
			}
		case nil:
			if i != 2 || len(it) == 4 {
				return "", fmt.Errorf("element %d is null", i)
			}
		default:
			return "", fmt.Errorf("element %d is %s, not a string", i, raw)
		}
	}
	return strings.Join(parts, ":"), nil
}

// token is what a part of a compact item may hold.
var token = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// hclString quotes s as an HCL string literal: JSON escapes, and "${" and
// "%{" doubled so they are not templates.
func hclString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	q := strings.TrimSuffix(buf.String(), "\n")
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}
