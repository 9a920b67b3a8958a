// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// The IntelMQ modules configured by parameters rather than by code, which
// Synthesize writes a parser for.
const (
	moduleGenericCSV = "intelmq.bots.parsers.generic.parser_csv"
	moduleKeyValue   = "intelmq.bots.parsers.key_value.parser"
	moduleHTMLTable  = "intelmq.bots.parsers.html_table.parser"
)

// SynthesizedParser is the name of the parser Synthesize writes.
const SynthesizedParser = "conformance_case"

// Synthesize writes, in this project's HCL, the parser that an IntelMQ
// parameter-driven module (generic CSV, key-value, HTML table) becomes with the case's
// parameters: the port of that IntelMQ configuration. ok is false for the
// other modules. An error means the parameters cannot be ported.
func Synthesize(c *Case) (filename string, src []byte, ok bool, err error) {
	f := hclwrite.NewEmptyFile()
	block := f.Body().AppendNewBlock("parser", []string{SynthesizedParser})
	body := block.Body()
	body.SetAttributeValue("intelmq_module", cty.StringVal(c.Bot))
	switch c.Bot {
	case moduleGenericCSV:
		err = genericCSV(body, c.Parameters)
	case moduleKeyValue:
		err = keyValue(body, c.Parameters)
	case moduleHTMLTable:
		err = htmlTable(body, c.Parameters)
	default:
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, true, fmt.Errorf("porting the parameters of %s: %w", c.Bot, err)
	}
	if err := commonParams(body, c.Parameters); err != nil {
		return "", nil, true, err
	}
	return "conformance/" + c.Name + ".hcl", f.Bytes(), true, nil
}

// commonParams ports the parameters every IntelMQ parser has.
func commonParams(body *hclwrite.Body, params map[string]any) error {
	if df, ok := params["default_fields"]; ok && df != nil {
		v, err := stringMap(df)
		if err != nil {
			return fmt.Errorf("default_fields: %w", err)
		}
		body.SetAttributeValue("default_fields", v)
	}
	if cf, ok := params["copy_collector_provided_fields"]; ok && cf != nil {
		v, err := stringList(cf)
		if err != nil {
			return fmt.Errorf("copy_collector_provided_fields: %w", err)
		}
		body.SetAttributeValue("copy_collector_provided_fields", v)
	}
	return nil
}

// genericCSV ports IntelMQ generic CSV's parameters: they are the
// language's generic CSV attributes under the same names, except that the
// column list is `fields` and the reader options go to the csv block.
func genericCSV(body *hclwrite.Body, params map[string]any) error {
	csv := body.AppendNewBlock("csv", nil).Body()
	delim := ","
	if d, ok := params["delimiter"].(string); ok && d != "" {
		delim = d
	}
	csv.SetAttributeValue("delimiter", cty.StringVal(delim))
	csv.SetAttributeValue("comment", cty.ListVal([]cty.Value{cty.StringVal("#")}))
	csv.SetAttributeValue("lazy_quotes", cty.True)
	switch s := params["skip_header"].(type) {
	case bool:
		if s {
			csv.SetAttributeValue("skip_lines", cty.NumberIntVal(1))
		}
	case float64:
		csv.SetAttributeValue("skip_lines", cty.NumberIntVal(int64(s)))
	}
	if text, ok := params["filter_text"].(string); ok && text != "" {
		csv.SetAttributeValue("filter_text", cty.StringVal(text))
		if t, ok := params["filter_type"].(string); ok {
			csv.SetAttributeValue("filter_type", cty.StringVal(t))
		}
	}
	columns, err := paramList(params, "columns")
	if err != nil {
		return err
	}
	body.SetAttributeValue("fields", cty.ListVal(columns))
	// IntelMQ's recover_line_csv: the skipped lines, then the row
	// re-encoded by Python's csv.writer, which writes commas whatever the
	// delimiter read, and the report's line ending.
	body.SetAttributeValue("raw", cty.StringVal("header + csvLine(row, ',', newline)"))
	if req, ok := params["columns_required"].([]any); ok {
		var vals []cty.Value
		for _, r := range req {
			b, ok := r.(bool)
			if !ok {
				return fmt.Errorf("columns_required: %v is not a bool", r)
			}
			vals = append(vals, cty.BoolVal(b))
		}
		body.SetAttributeValue("fields_required", cty.ListVal(vals))
	}
	for _, name := range []string{"default_url_protocol", "time_format", "type"} {
		if s, ok := params[name].(string); ok && s != "" {
			body.SetAttributeValue(name, cty.StringVal(s))
		}
	}
	for _, name := range []string{"type_translation", "column_regex_search", "data_type", "compose_fields"} {
		v, ok := params[name]
		if !ok || v == nil || v == "" {
			continue
		}
		m, err := stringMap(v)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if m.LengthInt() > 0 {
			body.SetAttributeValue(name, m)
		}
	}
	return nil
}

// keyValue ports IntelMQ's key-value parser: its keys table becomes the
// keyvalue block's keys and one optional mapping per key (the module adds
// with raise_failure=False); a time.source key holds epoch seconds or a
// date in any form.
func keyValue(body *hclwrite.Body, params map[string]any) error {
	keys, ok := params["keys"].(map[string]any)
	if !ok || len(keys) == 0 {
		return fmt.Errorf("keys: missing or not a table")
	}
	kv := body.AppendNewBlock("keyvalue", nil).Body()
	for _, name := range []string{"pair_separator", "kv_separator"} {
		if s, ok := params[name].(string); ok && s != "" {
			kv.SetAttributeValue(name, cty.StringVal(s))
		}
	}
	if b, ok := params["strip_quotes"].(bool); ok {
		kv.SetAttributeValue("strip_quotes", cty.BoolVal(b))
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var keyVals []cty.Value
	mappings := map[string]cty.Value{}
	for _, k := range names {
		field, ok := keys[k].(string)
		if !ok {
			return fmt.Errorf("keys: the field of %q is not a string", k)
		}
		keyVals = append(keyVals, cty.StringVal(k))
		value := "record[" + strconv.Quote(k) + "]"
		if field == "time.source" {
			value = fmt.Sprintf(`let v = %s; v == "" ? nil : (v matches "^[0-9]+$" ? fromEpoch(int(v)) : timeFormat("fuzzy", v))`, value)
		}
		if _, dup := mappings[field]; dup {
			return fmt.Errorf("keys: two keys fill %s", field)
		}
		mappings[field] = cty.StringVal(value)
	}
	kv.SetAttributeValue("keys", cty.ListVal(keyVals))
	body.SetAttributeValue("optional", cty.ObjectVal(mappings))
	return nil
}

// stringMap converts a table of strings, or its JSON text, to an HCL
// object.
func stringMap(v any) (cty.Value, error) {
	if s, ok := v.(string); ok {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return cty.NilVal, err
		}
		v = m
	}
	m, ok := v.(map[string]any)
	if !ok {
		return cty.NilVal, fmt.Errorf("%v is not a table", v)
	}
	out := map[string]cty.Value{}
	for k, x := range m {
		switch t := x.(type) {
		case string:
			out[k] = cty.StringVal(t)
		case bool:
			out[k] = cty.BoolVal(t)
		case float64:
			out[k] = cty.NumberFloatVal(t)
		default:
			return cty.NilVal, fmt.Errorf("the value of %q is %T, not a string, number or bool", k, x)
		}
	}
	if len(out) == 0 {
		return cty.EmptyObjectVal, nil
	}
	return cty.ObjectVal(out), nil
}

// stringList converts a list of strings to an HCL list.
func stringList(v any) (cty.Value, error) {
	l, ok := v.([]any)
	if !ok {
		return cty.NilVal, fmt.Errorf("%v is not a list", v)
	}
	var out []cty.Value
	for _, x := range l {
		s, ok := x.(string)
		if !ok {
			return cty.NilVal, fmt.Errorf("%v is not a string", x)
		}
		out = append(out, cty.StringVal(s))
	}
	if len(out) == 0 {
		return cty.ListValEmpty(cty.String), nil
	}
	return cty.ListVal(out), nil
}

// paramList returns a list parameter given as a list of strings or as a
// comma-separated string (whose items IntelMQ strips).
func paramList(params map[string]any, name string) ([]cty.Value, error) {
	var out []cty.Value
	switch cols := params[name].(type) {
	case string:
		for _, s := range strings.Split(cols, ",") {
			out = append(out, cty.StringVal(strings.TrimSpace(s)))
		}
	case []any:
		for _, s := range cols {
			str, ok := s.(string)
			if !ok {
				return nil, fmt.Errorf("%s: %v is not a string", name, s)
			}
			out = append(out, cty.StringVal(str))
		}
	default:
		return nil, fmt.Errorf("%s: missing or not a list", name)
	}
	return out, nil
}

// htmlTable ports IntelMQ's html_table parser: the table options go to the
// html_table block, the column list to fields with the generic options
// (ignore_values, split_*, time_format, default_url_protocol, type) under
// their IntelMQ names. The module's defaults are written out: the first
// row is skipped, times are parsed fuzzily, the type is c2-server. A row
// from which nothing would be added yields no event: the skip condition.
func htmlTable(body *hclwrite.Body, params map[string]any) error {
	in := body.AppendNewBlock("html_table", nil).Body()
	if s, ok := params["attribute_name"].(string); ok && s != "" {
		in.SetAttributeValue("attribute_name", cty.StringVal(s))
		v, _ := params["attribute_value"].(string)
		in.SetAttributeValue("attribute_value", cty.StringVal(v))
	}
	if n, ok := intParam(params["table_index"]); ok {
		in.SetAttributeValue("table_index", cty.NumberIntVal(n))
	}
	skipHead := true
	if b, ok := params["skip_table_head"].(bool); ok {
		skipHead = b
	}
	in.SetAttributeValue("skip_head", cty.BoolVal(skipHead))
	columns, err := paramList(params, "columns")
	if err != nil {
		return err
	}
	body.SetAttributeValue("fields", cty.ListVal(columns))
	var ignore []cty.Value
	if v, ok := params["ignore_values"]; ok && v != nil {
		if ignore, err = paramList(params, "ignore_values"); err != nil {
			return err
		}
		if len(ignore) != len(columns) {
			return fmt.Errorf("ignore_values: %d values for %d columns", len(ignore), len(columns))
		}
		body.SetAttributeValue("ignore_values", cty.ListVal(ignore))
	}
	if s, ok := params["split_column"].(string); ok && s != "" {
		body.SetAttributeValue("split_column", cty.StringVal(s))
		if sep, ok := params["split_separator"].(string); ok {
			body.SetAttributeValue("split_separator", cty.StringVal(sep))
		}
		if n, ok := intParam(params["split_index"]); ok {
			body.SetAttributeValue("split_index", cty.NumberIntVal(n))
		}
	}
	timeFormat := "fuzzy"
	if s, ok := params["time_format"].(string); ok && s != "" {
		timeFormat = s
	}
	body.SetAttributeValue("time_format", cty.StringVal(timeFormat))
	if s, ok := params["default_url_protocol"].(string); ok {
		body.SetAttributeValue("default_url_protocol", cty.StringVal(s))
	}
	if t, ok := params["type"]; !ok {
		body.SetAttributeValue("type", cty.StringVal("c2-server"))
	} else if s, ok := t.(string); ok && s != "" {
		body.SetAttributeValue("type", cty.StringVal(s))
	}
	body.SetAttributeValue("skip", cty.StringVal(noDataCondition(columns, ignore)))
	return nil
}

// noDataCondition is the condition that no cell of a mapped column holds a
// value: each is missing, empty or its column's ignore value.
func noDataCondition(columns, ignore []cty.Value) string {
	var conds []string
	for i, col := range columns {
		mapped := false
		for _, k := range strings.Split(col.AsString(), "|") {
			if k = strings.TrimSpace(k); k == "__IGNORE__" || k == "" {
				break
			}
			mapped = true
			break
		}
		if !mapped {
			continue
		}
		empty := []string{`""`}
		if ignore != nil && ignore[i].AsString() != "" {
			empty = append(empty, strconv.Quote(ignore[i].AsString()))
		}
		conds = append(conds, fmt.Sprintf("(get(row, %d) ?? \"\") in [%s]", i, strings.Join(empty, ", ")))
	}
	if len(conds) == 0 {
		return "true"
	}
	return strings.Join(conds, " && ")
}

// intParam reads a whole-number parameter given as a number or a string.
func intParam(v any) (int64, bool) {
	switch n := v.(type) {
	case float64:
		return int64(n), true
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
		return i, err == nil
	}
	return 0, false
}
