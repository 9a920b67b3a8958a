// SPDX-License-Identifier: AGPL-3.0-or-later

// Package parse turns a Report into Events by executing a compiled parser
// (a plan.Parser): IntelMQ's ParserBot, driven by data instead of code.
//
// It owns two things:
//
//   - The record readers (NewCSVReader, NewJSONReader, NewJSONLinesReader,
//     NewLinesReader, NewKVReader): they split a report's decoded text into
//     records and give each record's exact text (Record.Raw) and line
//     number, without copying the text: fields are substrings of it. The
//     CSV reader implements IntelMQ's generic CSV pre-processing (NUL bytes,
//     "#" comment lines, blank lines, mixed line endings) and, with
//     LazyQuotes, Python's csv quoting rules. A syntax error confined to one
//     record makes that record bad; only a JSON document that cannot be
//     read at all fails the whole report, before any record is returned.
//     When the Executor runs them, the line-based readers get the report's
//     text decoded from base64 a piece (192 KiB) at a time, so a report's
//     data is held once, as the report's base64, plus one piece (and the
//     buffer pieces are decoded in).
//   - The Executor: per report it checks the reject conditions first; per
//     record it binds the expression environment that compiler/plan
//     documents (reusing one map and one expr VM), evaluates the skip
//     condition, the constants, the spread map and the mappings (overwrite
//     ones replacing the report's values), the per-item Each blocks, the
//     generic CSV conversions (alternatives, required columns, column
//     regexes, JSON values, time_format, default_url_protocol,
//     type_translation), then default_fields without overwrite, then raw:
//     the parser's raw expression, or the record's exact text. A record is
//     atomic: when any step fails, none of its events is emitted and it
//     becomes a BadRecord for the caller to dump and send to _on_error; the
//     next record goes on. The executor never reads the clock:
//     time.observation comes from the report.
//
// The executor avoids the VM and allocations where the result is the
// same: a mapping that is a bare variable, a row cell, "column + 'text'",
// "'text' + column", or expr's lower, upper or int of a column is computed
// directly (and on the VM, with the VM's error, whenever the value is not
// text or the conversion fails); constants go into the report's event
// template once; each mapping looks its schema fields up once. A mapping
// of one field remembers the checked value (sanitized, validated) of up to
// 256 distinct texts, keyed by the column text when the mapping is a
// column or a fast expression of one, so a column of few distinct values
// is converted and checked once per value (message.Checked, AddChecked).
// RunLent lends the events to emit and reuses their storage, for callers
// that encode each event at once (the bot runner); Run gives emit its own.
// Lent events' raw, concatenations and sanitized dates and times are
// written to shared blocks of memory rather than allocated one by one.
//
// The variables of the report's text cost only when an expression reads
// them: comments makes the reader keep its comment lines; text and line_end
// hold the report's whole decoded text; newline and header read the text
// once more, piece by piece, for its line ending before the records.
//
// Differences from IntelMQ, on purpose: by default an event's raw is the
// record's exact text (IntelMQ re-serialises CSV rows and prepends skipped
// header lines; a parser's raw expression does that where wanted); a bad
// record keeps its exact text and line number and, in BadRecord.Prefix, the
// header lines that make it a self-contained report; an invalid JSON-lines
// line is a bad record, not a failed report.
//
// Dependencies: compiler/plan, stdlib (harmonization, message, datetime) and
// expr-lang's vm and ast. This package must not import lang, compiler (other
// than compiler/plan) or hashicorp/hcl.
package parse
