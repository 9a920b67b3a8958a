// SPDX-License-Identifier: AGPL-3.0-or-later

// Package plan holds the compiled, immutable form of a set of IntelMQ HCL
// files: what the compiler emits and what the runtime executes.
//
// A Plan is plain data. It holds no hcl or cty values: every source range is
// an [Origin], every name is resolved to a pointer, and every expression is a
// compiled expr-lang [vm.Program] with its source text. A Plan is never
// modified after [compiler.Compile] returns it, so it is safe to share across
// goroutines; so are its programs.
//
// # Expression environment contract
//
// Every expression of a [Parser] (its Map mappings, its Skip condition, the
// list and mappings of an [Each] block) was compiled ONCE against a typed
// environment, a map[string]any whose entries the compiler declared with
// typed zero values. The runtime MUST run these programs with an environment
// map holding exactly the variables listed in [Parser.Vars], each with a value
// of the declared [VarType]:
//
//   - The record's columns or keys, as top-level variables. CSV: one string per
//     column, named by the header row or by the declared column names
//     ([CSVInput.Columns]); a missing trailing cell is "". Lines: one string per
//     named group of the regex ("" when the group did not take part). Key-value:
//     one string per declared key ("" when absent). JSON and JSON lines: the
//     decoded values of the record object's keys (string, float64, bool, nil,
//     []any, map[string]any); keys the record lacks are nil. For JSON the key
//     variables are VarAny, and the compiler allows names it does not know.
//   - "record": the whole record. CSV, lines and key-value: map[string]string
//     by column name; JSON: the decoded value (usually map[string]any).
//   - "row" (CSV only): the cells as []string, so positional access row[0]
//     works for headerless files and for IntelMQ's compose_fields.
//   - "report": map[string]any of the report's fields with their Go values
//     (harmonization.Value.Any), e.g. report["feed.url"], report["extra.file_name"].
//     The report's raw is not included.
//   - "line": the raw text of the record (the CSV line, the JSON-lines line,
//     the text line; for a JSON list element its JSON encoding).
//   - "line_number": the 1-based line number of the record in the report's
//     decoded raw (for JSON lists: the 1-based index of the element), as int.
//   - "header": the lines skipped before the first record (the input's
//     skip_lines) and the CSV header row, each followed by "newline"; ""
//     when there are none. So header + line is IntelMQ's recover_line and
//     header + csvLine(row, ",", newline) its generic CSV raw.
//   - "comments": the comment lines (the lines the input's comment prefixes
//     drop) read before the record, each without surrounding white space,
//     joined by "\n"; "" when there are none.
//   - "text": the report's whole decoded text.
//   - "newline": the report's line ending as IntelMQ's CSV parsers detect
//     it over the whole text: "\n", "\r\n" or "\r" when the text uses that
//     one only, else "\r\n" (mixed endings, or no line break at all).
//   - "line_end": the line terminator that follows the record in the text
//     ("\n", "\r\n", "\r"), or "" when nothing but white space follows it
//     (IntelMQ strips the report's text); "" for JSON list elements.
//   - "item": inside an [Each] block only, the current element of its list.
//   - "index": inside an [Each] block only, the 0-based index of "item", as int.
//   - The parser's constants and tables ([Parser.Consts]) by name, with the
//     Go values stored in the plan (string, int, float64, bool, []any,
//     map[string]any).
//
// The five variables of the report's text (header, comments, text, newline,
// line_end; [ReportVars]) are declared only when no column, key or constant
// of the parser has the name, and are strings.
//
// A [Reject] condition is evaluated once per report, before the first
// record, with "report", "text", "newline" and the constants bound; the
// other variables hold their zero values.
//
// The expression function catalogue is stdlib/funcs: programs were compiled
// with funcs.Options(), and need nothing else at run time.
//
// # Route condition environment
//
// A [Route] or [Case] condition sees one event, compiled with expr.AsBool:
//
//   - Each field key split at its dots, as nested map[string]any: the variable
//     "source" holds {"ip": ..., "geolocation": {"cc": ...}}, "classification"
//     holds {"taxonomy": ..., "type": ...}, "extra" holds the extra.* keys. So
//     `classification.taxonomy == "malicious-code"` and `source.port > 1024`
//     work. Values are harmonization.Value.Any(): string, int64 (Integer, ASN),
//     float64 (Float, Accuracy), bool (Boolean), and decoded JSON for extra.
//     An absent field is absent from its map (nil when read).
//   - "event": map[string]any of the flat keys, e.g. event["source.ip"].
//
// # Mapping semantics
//
// Before the first record of a report, the [Parser.Reject] conditions:
// when one holds, the report fails. For each record the runtime builds
// events as IntelMQ's ParserBot does (INTELMQ-SEMANTICS §4.1): a new event
// from the report (feed.*, rtir_id, time.observation, plus
// [Parser.CopyCollectorProvidedFields]); unless [Parser.Skip] holds, the
// [Parser.Set] constants, the entries of the [Parser.Spread] map
// (replacing values copied from the report), then the [Parser.Map]
// mappings in order (the Overwrite ones replacing the value the event
// has); when the parser has [Parser.Each] blocks, one event per item of
// each block's list, carrying the record-level fields plus the block's
// own; then [Parser.DefaultFields] with overwrite=false; then raw, unless a
// mapping set it: the Each block's Raw, else [Parser.Raw], else the
// record's exact text (a nil or "" result adds no raw).
// A record is atomic: if any mapping fails, none of its events are sent and
// the record is dumped as a bad record.
//
// Dependencies: this package imports expr-lang's vm and stdlib packages only;
// it must not import hcl, cty, lang, compiler or runtime.
package plan
