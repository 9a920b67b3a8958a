// SPDX-License-Identifier: AGPL-3.0-or-later

package plan

import (
	"regexp"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Parser turns the raw data of a report into events: it splits the data into
// records with its Input, then fills events from each record with its
// constants and mappings. See the package documentation for the order.
type Parser struct {
	Name string
	Doc  string
	// Input says how the report's raw data is split into records.
	Input Input
	// Vars is the typed expression environment every program of this parser
	// was compiled against, sorted by name. The runtime binds exactly these.
	Vars []Var
	// TextVars lists the variables of the report's text (a subset of
	// ReportVars) this parser declares, sorted; a name of ReportVars that
	// is in Vars but not here is a column, key or constant.
	TextVars []string
	// Consts are the parser's named constants and tables, bound as variables.
	Consts []Const
	// Reject holds conditions over the report, checked once before any
	// record is read: when one holds, the whole report fails.
	Reject []*Reject
	// Skip, when set, is a bool expression: a record for which it is true
	// yields no event and no error (IntelMQ's parse_line returning None).
	Skip *Expr
	// Set holds constant field values, sanitized and validated at compile time.
	Set []Constant
	// Spread, when set, gives a map of field → value added after Set and
	// before Map, each entry with overwrite (IntelMQ's update); its keys are
	// known only at run time. The key "__type" is ignored; nil adds nothing.
	Spread *Expr
	// Map holds the field mappings in source order: map, optional, the
	// generic CSV columns, then the overwrite mappings.
	Map []*Mapping
	// Each, when not empty, makes the parser emit one event per item of each
	// block's list instead of one event per record.
	Each []*Each
	// DefaultFields are added to every event with overwrite=false, after the
	// mappings (IntelMQ's default_fields).
	DefaultFields []Constant
	// Raw, when set, is a string expression giving each event's raw; nil
	// means the record's exact text. An Each block's own Raw takes
	// precedence, and a mapping of the field "raw" over both.
	Raw *Expr
	// CopyCollectorProvidedFields lists report keys copied into each new event
	// when the report has them (IntelMQ's copy_collector_provided_fields).
	CopyCollectorProvidedFields []string
	// Convert holds the generic CSV parser's per-field conversions, applied to
	// every mapped value before it is added.
	Convert Conversions
	// IntelMQModule is the IntelMQ parser module this parser ports, if any.
	IntelMQModule string
	Origin        Origin
}

// Format is the kind of input a parser reads.
type Format uint8

// The input formats.
const (
	FormatCSV       Format = iota + 1 // delimited text, encoding/csv rules
	FormatJSON                        // one JSON document holding a list of records
	FormatJSONLines                   // one JSON object per line
	FormatLines                       // one record per text line, optionally split by a regex
	FormatKeyValue                    // one record per line of key=value pairs
	FormatHTMLTable                   // one record per row of an HTML table
)

var formatNames = [...]string{"", "csv", "json", "jsonlines", "lines", "keyvalue", "html_table"}

// String returns the format's HCL block name.
func (f Format) String() string {
	if int(f) < len(formatNames) && f != 0 {
		return formatNames[f]
	}
	return "invalid"
}

// Input is the record reader configuration of a parser. Exactly the field
// matching Format is non-nil (JSONLines uses JSON).
type Input struct {
	Format   Format
	CSV      *CSVInput
	JSON     *JSONInput
	Lines    *LinesInput
	KeyValue *KeyValueInput
	HTML     *HTMLTableInput
}

// HTMLTableInput configures the HTML table record reader (IntelMQ's
// html_table parser): the report is an HTML document, a record is one tr
// row of the selected table, and its fields are the texts of the row's td
// cells without surrounding white space.
type HTMLTableInput struct {
	// TableIndex selects the table, 0-based, among the tables of the
	// document that match the attribute filter, in document order.
	TableIndex int
	// AttributeName, when not empty, keeps only the tables whose attribute
	// of this name equals AttributeValue (or, for class, has it as a word).
	AttributeName  string
	AttributeValue string
	// SkipRows is the number of rows skipped before the first record
	// (IntelMQ's skip_table_head skips the first).
	SkipRows int
	// Columns names the cells, in order; cells beyond them are reachable
	// through "row" only.
	Columns []string
}

// CSVInput configures the CSV record reader.
type CSVInput struct {
	Delimiter rune // default ','
	Quote     rune // default '"'; 0 disables quoting
	// Comment lists line prefixes that mark lines to drop before parsing
	// (checked after leading spaces and tabs are trimmed).
	Comment []string
	// SkipLines is the number of lines skipped before the first record, after
	// comments and blank lines are dropped (IntelMQ's skip_header). When Header
	// is set the header row is read after these lines.
	SkipLines int
	// Header says the first (remaining) row names the columns.
	Header bool
	// Columns are the column names, declared or, with Header, expected. A
	// header row that differs is a runtime error of the report.
	Columns []string
	// LazyQuotes relaxes quoting as encoding/csv's LazyQuotes does.
	LazyQuotes bool
	// Filter keeps or drops rows by text (IntelMQ's filter_text/filter_type);
	// nil means no filtering.
	Filter *TextFilter
}

// TextFilter keeps (Keep) or drops (!Keep) the rows whose cells joined by
// the delimiter contain Text.
type TextFilter struct {
	Text string
	Keep bool // true: whitelist, false: blacklist
}

// JSONInput configures the JSON and JSON-lines record readers.
type JSONInput struct {
	// Path is the sequence of object keys leading from the document root to
	// the list of records; empty means the root is the list. With Single the
	// value at Path is itself the one record. Unused by JSON lines.
	Path   []string
	Single bool
	// Comment lists line prefixes of JSON lines to ignore.
	Comment []string
}

// LinesInput configures the text-lines record reader.
type LinesInput struct {
	// Regex, when set, must match a line for it to be a record; its named
	// groups are the record's columns. Nil means each line is one column
	// named by Column.
	Regex *regexp.Regexp
	// Column names the single column when Regex is nil (default "value").
	Column string
	// Comment lists line prefixes of lines to ignore (after trimming spaces).
	Comment []string
	// SkipLines is the number of lines skipped first.
	SkipLines int
	// NoMatch says what a line the regex does not match is: false means a bad
	// record (dumped), true means silently ignored.
	IgnoreNoMatch bool
}

// KeyValueInput configures the key=value record reader (IntelMQ's
// key_value parser).
type KeyValueInput struct {
	PairSeparator string // between pairs; default " "
	KVSeparator   string // between key and value; default "="
	StripQuotes   bool   // remove surrounding double quotes from values
	Comment       []string
	// Keys are the keys the expressions may use; each is bound as a string.
	Keys []string
}

// Const is a named constant or table of a parser, bound as an expression
// variable. Value is a string, int, float64, bool, []any or map[string]any.
type Const struct {
	Name   string
	Type   VarType
	Value  any
	Origin Origin
}

// Constant is a field set to a fixed value. Value is already sanitized and
// validated against the field's type.
type Constant struct {
	Field  string
	Value  harmonization.Value
	Origin Origin
}

// Mapping fills a field from an expression over the record.
//
// The runtime evaluates Value; a nil result, "", "-" and "N/A" add nothing
// (IntelMQ's add ignores them). Otherwise it applies Extract, DecodeJSON and
// the parser's Conversions, then tries the Fields in order with sanitizing
// add; the first that accepts the value wins. When none accepts it and
// Required is set, the record fails; otherwise the value is dropped.
type Mapping struct {
	// Fields are the target keys, usually one; several are IntelMQ generic
	// CSV's alternatives "a|b".
	Fields []string
	Value  *Expr
	// Required makes a value that no field accepts fail the record.
	Required bool
	// Extract, when set, replaces the value by its first match, or by nil
	// when it does not match (generic CSV's column_regex_search).
	Extract *regexp.Regexp
	// DecodeJSON parses a string value as JSON before adding it (generic
	// CSV's data_type "json").
	DecodeJSON bool
	// Overwrite replaces the value the event already has (one copied from
	// the report), IntelMQ's add with overwrite=True; an ignored value
	// leaves the field as it is.
	Overwrite bool
	Origin    Origin
}

// Each emits one event per item of a list computed from the record.
type Each struct {
	// List is the expression giving the items; nil or an empty list yields no
	// event for this block.
	List *Expr
	// ItemType is the static type of "item" inside the block.
	ItemType VarType
	Skip     *Expr
	Set      []Constant
	Map      []*Mapping
	// Raw, when set, gives the raw of the block's events instead of the
	// parser's Raw.
	Raw    *Expr
	Origin Origin
}

// Reject fails a whole report: When is a bool expression over the report
// (the variables report, text and newline and the parser's constants),
// evaluated once before the first record. When it holds, no record is read
// and the report fails with Message.
type Reject struct {
	When    *Expr
	Message string
	Origin  Origin
}

// Conversions are IntelMQ generic CSV's value conversions, applied by key
// to mapped values (not to Set constants or default fields).
type Conversions struct {
	// TimeFormat, when not empty, is a stdlib/datetime conversion name
	// ("timestamp", "from_format|%Y-%m-%d", ...) applied to string values
	// of time.source.
	TimeFormat string
	// DefaultURLProtocol is prefixed to *.url values lacking "://"; empty
	// disables it.
	DefaultURLProtocol string
	// TypeTranslation maps raw values of classification.type to allowed
	// ones. A value not in the table makes that field not accept the value,
	// unless KeepUntranslated is set (generic CSV with `type` given).
	TypeTranslation  map[string]string
	KeepUntranslated bool
}
