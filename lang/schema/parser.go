// SPDX-License-Identifier: AGPL-3.0-or-later

package schema

func parserBlock() *Block {
	return &Block{
		Type: KindParser, Labels: []string{"name"},
		Doc: "A parser splits a report into records with one input block and fills events from each record.",
		Attrs: append([]Attr{
			{Name: "description", Type: String, Doc: "Free text about the parser."},
			{Name: "extends", Type: Ref, Refs: []string{KindParser}, Doc: "Another parser this one starts from, e.g. parser.shadowserver: every attribute and block this parser does not write is that parser's; one it writes replaces that parser's whole."},
			intelmqModuleAttr(),
			{Name: "let", Type: AnyMap, Doc: "Named constants and lookup tables the expressions may use."},
			{Name: "skip", Type: Expr, Doc: "A boolean expression; a record for which it is true yields no event and no error."},
			{Name: "when", Type: Expr, Doc: "A boolean expression; only records for which it is true yield events (the opposite of skip)."},
			{Name: "set", Type: ValueMap, Doc: "Fields set to constants, checked against the schema at compile time."},
			{Name: "spread", Type: Expr, Doc: "An expression giving a map of field → value, e.g. \"record\" for records whose keys are field names (IntelMQ's json parser); every entry is added as a field, replacing a value copied from the report (IntelMQ's update), before map. The key __type is ignored."},
			{Name: "map", Type: ExprMap, Doc: "Fields computed by expressions over the record, type-checked at compile time. A value the field rejects fails the record."},
			{Name: "optional", Type: ExprMap, Doc: "Like map, but a value the field rejects is dropped instead of failing the record (IntelMQ's add with raise_failure=False)."},
			{Name: "overwrite", Type: ExprMap, Doc: "Fields computed like map that replace the value the event has, e.g. one copied from the report (IntelMQ's change or add with overwrite=True): \"feed.accuracy\" = \"report['feed.accuracy'] * toInt(confidence) / 100\"."},
			{Name: "raw", Type: Expr, Doc: "A string expression giving each event's raw, e.g. \"header + line\"; by default raw is the record's exact text."},
			{Name: "default_fields", Type: ValueMap, Doc: "Fields added to every event unless already set (IntelMQ's default_fields)."},
			{Name: "copy_collector_provided_fields", Type: StringList, Doc: "Report fields copied into each event, e.g. [\"extra.file_name\"]."},
		}, genericCSVAttrs()...),
		Blocks: []*Block{csvBlock(), jsonBlock(), jsonLinesBlock(), linesBlock(), keyValueBlock(), htmlTableBlock(), eachBlock(), rejectBlock()},
	}
}

// genericCSVAttrs are the options of IntelMQ's generic CSV parser, under
// their IntelMQ names except `columns`, which the csv block uses for column
// names; the generic parser's column→field list is `fields`.
func genericCSVAttrs() []Attr {
	return []Attr{
		{Name: "fields", Type: StringList, Doc: "IntelMQ generic CSV's `columns`: one entry per column, a field key, \"a|b\" alternatives, or \"__IGNORE__\"/\"\" to skip the column."},
		{Name: "fields_required", Type: BoolList, Doc: "IntelMQ generic CSV's `columns_required`: per column, whether a value no field accepts fails the record (default all true)."},
		{Name: "column_regex_search", Type: StringMap, Doc: "Field → regex; the value is replaced by the first match, or dropped when none."},
		{Name: "compose_fields", Type: StringMap, Doc: "Field → format string over column indexes, e.g. \"http://{0}{1}\"."},
		{Name: "data_type", Type: StringMap, Doc: "Field → \"json\": the value is decoded as JSON."},
		{Name: "time_format", Type: String, Doc: "A time conversion applied to time.source values: \"timestamp\", \"windows_nt\", \"epoch_millis\", \"from_format|<strftime>\", \"from_format_midnight|<strftime>\", \"utc_isoformat\", \"fuzzy\"."},
		{Name: "type", Type: String, Doc: "A classification.type for all events (IntelMQ's deprecated `type`; prefer set)."},
		{Name: "type_translation", Type: StringMap, Doc: "Raw value → classification.type, applied to mapped classification.type values."},
		{Name: "default_url_protocol", Type: String, Default: "none", Doc: "Prefixed to *.url values lacking \"://\", e.g. \"http://\"."},
		{Name: "ignore_values", Type: StringList, Doc: "IntelMQ html_table's `ignore_values`: per entry of fields, a cell value that adds nothing, e.g. [\"\", \"Not listed\"]."},
		{Name: "split_column", Type: String, Doc: "IntelMQ html_table's `split_column`: the field of fields whose cell is split at split_separator; the part at split_index (0-based), without surrounding white space, is its value."},
		{Name: "split_separator", Type: String, Doc: "The separator split_column's cell is split at, e.g. \"[D]\"."},
		{Name: "split_index", Type: Int, Default: "0", Doc: "The index, 0-based, of the part of split_column's cell kept."},
	}
}

func commentAttr() Attr {
	return Attr{Name: "comment", Type: StringList, Doc: "Line prefixes marking lines to ignore, e.g. [\"#\"]; a string is one prefix."}
}

func skipLinesAttr() Attr {
	return Attr{Name: "skip_lines", Type: Int, Default: "0", Doc: "Lines to skip before the first record (IntelMQ's skip_header)."}
}

func csvBlock() *Block {
	return &Block{
		Type: FormatCSV, Single: true, Group: "input",
		Doc: "CSV input: one record per row; each column is a string variable named by the header row or by `columns`.",
		Attrs: []Attr{
			{Name: "delimiter", Type: Char, Default: "\",\"", Doc: "The field delimiter, one character; \"\\t\" for tabs."},
			{Name: "quote", Type: String, Default: "\"\\\"\"", Doc: "The quote character, or \"\" to disable quoting."},
			commentAttr(),
			skipLinesAttr(),
			{Name: "header", Type: Bool, Default: "false", Doc: "The first row names the columns."},
			{Name: "columns", Type: StringList, Doc: "The column names, in order; with header, the expected header."},
			{Name: "lazy_quotes", Type: Bool, Default: "false", Doc: "Accept quotes inside unquoted fields and unescaped quotes in quoted fields."},
			{Name: "filter_text", Type: String, Doc: "Keep or drop rows containing this text (IntelMQ's filter_text)."},
			{Name: "filter_type", Type: String, Doc: "\"whitelist\" keeps rows containing filter_text, \"blacklist\" drops them."},
		},
	}
}

func jsonBlock() *Block {
	return &Block{
		Type: FormatJSON, Single: true, Group: "input",
		Doc: "JSON input: the report is one JSON document holding a list of records (objects); each key is a variable.",
		Attrs: []Attr{
			{Name: "path", Type: StringList, Doc: "Object keys leading from the root to the list, e.g. [\"data\"]; empty means the root is the list."},
			{Name: "single", Type: Bool, Default: "false", Doc: "The value at path is one record, not a list."},
			{Name: "keys", Type: StringList, Doc: "The record keys the expressions use; when given, other names are errors."},
		},
	}
}

func jsonLinesBlock() *Block {
	return &Block{
		Type: FormatJSONLines, Single: true, Group: "input",
		Doc: "JSON lines input: one JSON object per line.",
		Attrs: []Attr{
			commentAttr(),
			{Name: "keys", Type: StringList, Doc: "The record keys the expressions use; when given, other names are errors."},
		},
	}
}

func linesBlock() *Block {
	return &Block{
		Type: FormatLines, Single: true, Group: "input",
		Doc: "Text lines input: one record per line; a regex's named groups are the columns, otherwise the line is the column `value`.",
		Attrs: []Attr{
			{Name: "regex", Type: String, Doc: "A regex (Go RE2 syntax) with named groups (?P<name>...); a line must match it."},
			{Name: "column", Type: String, Default: "\"value\"", Doc: "The column name of the whole line when there is no regex."},
			commentAttr(),
			skipLinesAttr(),
			{Name: "ignore_no_match", Type: Bool, Default: "false", Doc: "Ignore lines the regex does not match instead of reporting them as bad records."},
		},
	}
}

func keyValueBlock() *Block {
	return &Block{
		Type: FormatKeyValue, Single: true, Group: "input",
		Doc: "Key=value input (IntelMQ's key_value parser): one record per line of separated pairs.",
		Attrs: []Attr{
			{Name: "pair_separator", Type: String, Default: "\" \"", Doc: "The text between pairs."},
			{Name: "kv_separator", Type: String, Default: "\"=\"", Doc: "The text between a key and its value."},
			{Name: "strip_quotes", Type: Bool, Default: "true", Doc: "Remove double quotes around values."},
			{Name: "keys", Type: StringList, Required: true, Doc: "The keys the expressions use; each is a string variable, \"\" when absent."},
			commentAttr(),
		},
	}
}

func htmlTableBlock() *Block {
	return &Block{
		Type: FormatHTMLTable, Single: true, Group: "input",
		Doc: "HTML table input (IntelMQ's html_table parser): one record per tr row of one table of an HTML document; the texts of the row's td cells, without surrounding white space, are the columns, and the record's text is the row's HTML.",
		Attrs: []Attr{
			{Name: "table_index", Type: Int, Default: "0", Doc: "Which table, 0-based, among those matching attribute_name/attribute_value, in document order."},
			{Name: "attribute_name", Type: String, Doc: "Keep only tables with this attribute, e.g. \"class\" or \"id\"."},
			{Name: "attribute_value", Type: String, Doc: "The value attribute_name must have (for class: one of its words)."},
			{Name: "skip_head", Type: Bool, Default: "false", Doc: "Skip the table's first row (IntelMQ's skip_table_head)."},
			{Name: "columns", Type: StringList, Doc: "The cell names, in order; each is a string variable (\"\" when the row is shorter)."},
		},
	}
}

func eachBlock() *Block {
	return &Block{
		Type: "each",
		Doc:  "Several events from one record: one event per item of the list expression, with the record-level fields plus this block's. `item` is the current item, `index` its position.",
		Attrs: []Attr{
			{Name: "list", Type: Expr, Required: true, Doc: "The expression giving the list, e.g. \"split(categories, ';')\"."},
			{Name: "skip", Type: Expr, Doc: "A boolean expression; items for which it is true yield no event."},
			{Name: "set", Type: ValueMap, Doc: "Constant fields of each item's event."},
			{Name: "map", Type: ExprMap, Doc: "Fields of each item's event computed by expressions."},
			{Name: "optional", Type: ExprMap, Doc: "Like map, but a value the field rejects is dropped."},
			{Name: "raw", Type: Expr, Doc: "A string expression giving the raw of this block's events; it may use item and index. Default: the parser's raw."},
		},
	}
}

func rejectBlock() *Block {
	return &Block{
		Type: "reject",
		Doc:  "Fails the whole report, before any record is read, when its condition holds: no event is sent and the report goes to the error handling (IntelMQ's parser raising in process). The condition sees the report, text, newline and the parser's let names, not the records.",
		Attrs: []Attr{
			{Name: "when", Type: Expr, Required: true, Doc: "A boolean expression over the report, e.g. \"!(report['feed.url'] contains 'DailyIOC')\"."},
			{Name: "message", Type: String, Doc: "The error message of a rejected report, e.g. \"Unknown feed\"."},
		},
	}
}
