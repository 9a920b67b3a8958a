// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// shadowserverFuncs returns the functions of IntelMQ's Shadowserver parser:
// its schema's conversion functions and the mapping of one row by a schema
// entry. Values are checked against the binary's harmonization schema, as
// IntelMQ's add and its validate_* conversions do.
func shadowserverFuncs() []Func {
	s := &shadowserver{schema: harmonization.Default(), cve: regexp.MustCompile(`^cve-[0-9]+-[0-9]+\n?$`),
		cache: tableCache{m: map[tableKey]*reportType{}}}
	return []Func{
		{
			Name:      "shadowserverConvert",
			Signature: "shadowserverConvert(function string, value string[, row map]) any",
			Doc: "Applies a conversion function of IntelMQ's Shadowserver schema by name: add_UTC_to_timestamp, " +
				"convert_bool, convert_int, convert_float, invalidate_zero, validate_to_none, validate_ip, " +
				"validate_network, validate_fqdn, convert_date, convert_date_utc, force_base64, " +
				"convert_http_host_and_url and category_or_detail (these two read the row), extract_cve_from_tag, " +
				"scan_exchange_taxonomy, scan_exchange_type and scan_exchange_identifier. nil stands for IntelMQ's " +
				"None (nothing to add); text a conversion cannot read (convert_int of \"x\") and an unknown name " +
				"are errors.",
			Types: []any{
				new(func(string, any) any),
				new(func(string, any, map[string]any) any),
				new(func(string, any, map[string]string) any),
			},
			Fn: s.convert,
		},
		{
			Name:      "shadowserverEvent",
			Signature: "shadowserverEvent(items list, report string, row map) map",
			Doc: "Maps one row of a Shadowserver report as IntelMQ's Shadowserver parser does, by a report type of " +
				"its schema written compactly: report is \"feed name|documentation URL|required|optional|constants\", " +
				"the last three lists of indexes into items (from 0; \"3-7\" is 3 to 7), whose entries are \"field:column[:conversion[:row]]\" " +
				"(IntelMQ's [field, column, conversion, pass_row]; field \"extra.\" keeps the column's name under " +
				"extra, \"false\" drops the column) or \"field=value\" for a constant. It returns the fields for " +
				"spread: a required column missing from the row or a value its field rejects is an error; an " +
				"optional value its field rejects leaves the column unused, one whose field is not in the " +
				"harmonization goes to extra under the field's name; the constants come last; the unused non-empty " +
				"columns go to extra under their names, all extra entries in one map under \"extra\".",
			Types: []any{
				new(func([]any, string, map[string]any) map[string]any),
				new(func([]any, string, map[string]string) map[string]any),
			},
			Fn: s.event,
		},
	}
}

// shadowserver holds what the Shadowserver functions share.
type shadowserver struct {
	schema *harmonization.Schema
	cve    *regexp.Regexp
	cache  tableCache
}

// unknownConversion is the error of apply for a conversion name IntelMQ
// does not know; IntelMQ leaves an optional column unconverted then.
type unknownConversion string

func (u unknownConversion) Error() string {
	return fmt.Sprintf("unknown conversion function %q", string(u))
}

// convert implements shadowserverConvert(function, value[, row]).
func (s *shadowserver) convert(params ...any) (any, error) {
	c := call{"shadowserverConvert", params}
	if err := c.count(2, 3); err != nil {
		return nil, err
	}
	name, err := c.str(0)
	if err != nil {
		return nil, err
	}
	var row map[string]any
	if len(params) == 3 {
		if row, err = rowMap(params[2]); err != nil {
			return nil, c.wrap(3, err)
		}
	}
	v, err := s.apply(name, params[1], row)
	if err != nil {
		return nil, c.wrap(2, err)
	}
	return v, nil
}

// rowMap returns a row given as a map of column to value.
func rowMap(x any) (map[string]any, error) {
	switch t := x.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return t, nil
	case map[string]string:
		m := make(map[string]any, len(t))
		for k, v := range t {
			m[k] = v
		}
		return m, nil
	}
	return nil, fmt.Errorf("want a map of columns, got %s", describe(x))
}

// cell returns a row's value as text, as the CSV reader gives it: nil is "".
func cell(x any) (string, error) {
	if s, ok := x.(string); ok {
		return s, nil
	}
	return text(x)
}

// apply runs the named conversion on value; nil means IntelMQ's None.
func (s *shadowserver) apply(name string, value any, row map[string]any) (any, error) {
	v, err := cell(value)
	if err != nil {
		return nil, err
	}
	switch name {
	case "add_UTC_to_timestamp":
		return v + " UTC", nil
	case "convert_bool":
		switch strings.ToLower(v) {
		case "y", "yes", "true", "enabled", "1":
			return true, nil
		case "n", "no", "false", "disabled", "0":
			return false, nil
		}
		return nil, nil
	case "validate_to_none":
		if v == "" || v == "0" || v == "unknown" {
			return nil, nil
		}
		return v, nil
	case "convert_int":
		if v == "" {
			return nil, nil
		}
		return pyInt(v)
	case "invalidate_zero":
		if v == "" {
			return nil, nil
		}
		n, err := pyInt(v)
		if err != nil || n == 0 {
			return nil, err
		}
		return n, nil
	case "convert_float":
		if v == "" {
			return nil, nil
		}
		return pyFloat(v)
	case "validate_ip":
		if v != "0.0.0.0" && !strings.Contains(v, "/") && s.valid("source.ip", v) {
			return v, nil
		}
		return nil, nil
	case "validate_network":
		if strings.Contains(v, "/") && s.valid("source.network", v) {
			return v, nil
		}
		return nil, nil
	case "validate_fqdn":
		if v != "" && s.valid("source.fqdn", v) {
			return v, nil
		}
		return nil, nil
	case "convert_date":
		return s.date(v), nil
	case "convert_date_utc":
		return s.date(v + "+00:00"), nil
	case "force_base64":
		if v == "" {
			return nil, nil
		}
		if isStrictBase64(v) {
			return v, nil
		}
		return base64.StdEncoding.EncodeToString([]byte(v)), nil
	case "scan_exchange_taxonomy":
		return pick(strings.Contains(v, "webshell"), "intrusions", "vulnerable"), nil
	case "scan_exchange_type":
		return pick(strings.Contains(v, "webshell"), "system-compromise", "vulnerable-system"), nil
	case "scan_exchange_identifier":
		return pick(strings.Contains(v, "webshell"), "exchange-server-webshell", "vulnerable-exchange-server"), nil
	case "category_or_detail":
		if c := get(row, "category"); c != "" {
			return c, nil
		}
		return get(row, "detail"), nil
	case "extract_cve_from_tag":
		set := map[string]bool{}
		for _, t := range strings.Split(v, ";") {
			if s.cve.MatchString(t) {
				set[t] = true
			}
		}
		if len(set) == 0 {
			return nil, nil
		}
		cves := make([]string, 0, len(set))
		for t := range set {
			cves = append(cves, t)
		}
		sort.Strings(cves)
		return strings.Join(cves, ";"), nil
	case "convert_http_host_and_url":
		return httpHostAndURL(v, row), nil
	}
	return nil, unknownConversion(name)
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// get returns row[key] as text, "" when absent.
func get(row map[string]any, key string) string {
	s, _ := cell(row[key])
	return s
}

// valid reports whether the field accepts v after sanitizing, as IntelMQ's
// is_valid(value, sanitize=True) of the field's type.
func (s *shadowserver) valid(field, v string) bool {
	f, err := s.schema.LookupField(harmonization.Event, field)
	if err != nil {
		return false
	}
	_, err = f.SanitizeValidate(harmonization.String(v))
	return err == nil
}

// date is IntelMQ's DateTime.sanitize: the canonical time, nil when the
// text is no date.
func (s *shadowserver) date(v string) any {
	f, err := s.schema.LookupField(harmonization.Event, "time.source")
	if err != nil {
		return nil
	}
	out, err := f.Sanitize(harmonization.String(v))
	if err != nil || out.Kind() != harmonization.KindString {
		return nil
	}
	return out.Str()
}

// pyInt reads text as Python's int(): surrounding white space and single
// underscores between digits are allowed.
func pyInt(v string) (int, error) {
	t := strings.TrimFunc(v, unicode.IsSpace)
	if strings.Contains(t, "_") {
		if strings.Contains(t, "__") || strings.HasSuffix(t, "_") || strings.HasPrefix(strings.TrimLeft(t, "+-"), "_") {
			return 0, fmt.Errorf("invalid literal for int() with base 10: %q", v)
		}
		t = strings.ReplaceAll(t, "_", "")
	}
	n, err := strconv.Atoi(t)
	if err != nil {
		return 0, fmt.Errorf("invalid literal for int() with base 10: %q", v)
	}
	return n, nil
}

// pyFloat reads text as Python's float().
func pyFloat(v string) (float64, error) {
	t := strings.TrimFunc(v, unicode.IsSpace)
	switch strings.ToLower(strings.TrimLeft(t, "+-")) {
	case "inf", "infinity", "nan":
		// Python accepts them; no harmonization field does.
		f, _ := strconv.ParseFloat(t, 64)
		return f, nil
	}
	if strings.ContainsAny(t, "xXpP") || strings.Contains(t, "_") {
		return 0, fmt.Errorf("could not convert string to float: %q", v)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, fmt.Errorf("could not convert string to float: %q", v)
	}
	return f, nil
}

// isStrictBase64 is Python's base64.b64decode(v, validate=True) succeeding:
// only the standard alphabet, padding at the end, a length that decodes.
func isStrictBase64(v string) bool {
	if strings.ContainsAny(v, "\r\n") {
		return false
	}
	_, err := base64.StdEncoding.Strict().DecodeString(v)
	if err == nil {
		return true
	}
	// Python ignores surplus padding and accepts non-zero trailing bits.
	_, err = base64.StdEncoding.DecodeString(v)
	return err == nil
}

// httpHostAndURL is IntelMQ's convert_http_host_and_url: a URL from the
// row's host (cc_dns, http_host, hostname or ip) and path (url or
// http_url, of which only the part from the first "/" to the first white
// space counts); value when either is missing.
func httpHostAndURL(value string, row map[string]any) string {
	host := ""
	for _, k := range []string{"cc_dns", "http_host", "hostname", "ip"} {
		if _, ok := row[k]; ok && host == "" {
			host = get(row, k)
		}
	}
	path := ""
	if _, ok := row["url"]; ok {
		path = get(row, "url")
	} else if _, ok := row["http_url"]; ok {
		path = get(row, "http_url")
	}
	if host == "" || path == "" {
		return value
	}
	if i := strings.IndexByte(path, '/'); i >= 0 {
		path = path[i:]
	} else {
		path = ""
	}
	path = cutAtSpace(path)
	app := "http"
	if a := get(row, "application"); a == "http" || a == "https" {
		app = a
	}
	return app + "://" + host + path
}

// cutAtSpace is Python's re.sub(r'\s.*$', ”, path): the path up to the
// first white space after which only one line (and a final line break)
// remains.
func cutAtSpace(path string) string {
	for i, r := range path {
		if !unicode.IsSpace(r) {
			continue
		}
		rest := path[i+len(string(r)):]
		j := strings.IndexByte(rest, '\n')
		if j < 0 || j == len(rest)-1 {
			return path[:i]
		}
	}
	return path
}

// column is one column item of a report type: IntelMQ's [field, column,
// conversion, pass_row], or a constant field.
type column struct {
	field    string // "" when drop
	drop     bool   // the field is false: the column is ignored
	name     string // the column; "" for a constant
	conv     string
	passRow  bool
	required bool
	value    string // a constant's value
}

// reportType is a report type read from its compact form.
type reportType struct {
	feed, url    string
	cols, consts []column
}

// tableKey identifies a parsed report type: the items list (by the address
// of its first element, as a let table is built once) and the report's text.
type tableKey struct {
	items  *any
	n      int
	report string
}

// tableCacheSize bounds the parsed report types kept.
const tableCacheSize = 1024

// tableCache keeps parsed report types; it is safe for concurrent use.
type tableCache struct {
	mu sync.Mutex
	m  map[tableKey]*reportType
}

// parseItem reads one item: "field:column[:conversion[:row]]" (field
// "false" drops the column) or "field=value" for a constant.
func parseItem(it string) (column, error) {
	if f, v, ok := strings.Cut(it, "="); ok && !strings.Contains(f, ":") {
		return column{field: f, value: v}, nil
	}
	parts := strings.Split(it, ":")
	if len(parts) < 2 || len(parts) > 4 || parts[0] == "" || parts[1] == "" {
		return column{}, fmt.Errorf("item %q is not field:column[:conversion[:row]] or field=value", it)
	}
	col := column{field: parts[0], name: parts[1]}
	if col.field == "false" {
		col.field, col.drop = "", true
	}
	if len(parts) > 2 {
		col.conv = parts[2]
	}
	if len(parts) > 3 {
		if parts[3] != "row" {
			return column{}, fmt.Errorf("item %q: the fourth part can only be row", it)
		}
		col.passRow = true
	}
	return col, nil
}

// reportType returns the report type written as report over items, parsed
// once per items list.
func (s *shadowserver) reportType(items []any, report string) (*reportType, error) {
	if len(items) == 0 {
		return nil, fmt.Errorf("the items list is empty")
	}
	key := tableKey{&items[0], len(items), report}
	s.cache.mu.Lock()
	rt, ok := s.cache.m[key]
	s.cache.mu.Unlock()
	if ok {
		return rt, nil
	}
	parts := strings.Split(report, "|")
	if len(parts) != 5 {
		return nil, fmt.Errorf("the report type %q is not feed|url|required|optional|constants", report)
	}
	rt = &reportType{feed: parts[0], url: parts[1]}
	for i, refs := range parts[2:] {
		for _, ref := range strings.Fields(refs) {
			first, last, isRange := strings.Cut(ref, "-")
			from, err1 := strconv.Atoi(first)
			to, err2 := from, error(nil)
			if isRange {
				to, err2 = strconv.Atoi(last)
			}
			if err1 != nil || err2 != nil || from < 0 || to < from || to >= len(items) {
				return nil, fmt.Errorf("the report type %q refers to item %q, which the list of %d items lacks", report, ref, len(items))
			}
			for n := from; n <= to; n++ {
				text, ok := items[n].(string)
				if !ok {
					return nil, fmt.Errorf("item %d is %s, not a string", n, describe(items[n]))
				}
				col, err := parseItem(text)
				if err != nil {
					return nil, err
				}
				switch {
				case i == 2 && col.name == "":
					rt.consts = append(rt.consts, col)
				case i < 2 && col.name != "":
					col.required = i == 0
					rt.cols = append(rt.cols, col)
				default:
					return nil, fmt.Errorf("the report type %q: item %d (%q) is in the wrong list", report, n, text)
				}
			}
		}
	}
	s.cache.mu.Lock()
	if len(s.cache.m) >= tableCacheSize {
		clear(s.cache.m)
	}
	s.cache.m[key] = rt
	s.cache.mu.Unlock()
	return rt, nil
}

// ignoredValue reports IntelMQ's values that add nothing: "", "-", "N/A".
func ignoredValue(v any) bool {
	s, ok := v.(string)
	return ok && (s == "" || s == "-" || s == "N/A")
}

// event implements shadowserverEvent(items, report, row): IntelMQ's
// parse_line of the Shadowserver parser, without feed.name,
// feed.documentation and raw.
func (s *shadowserver) event(params ...any) (any, error) {
	c := call{"shadowserverEvent", params}
	if err := c.count(3, 3); err != nil {
		return nil, err
	}
	items, ok := params[0].([]any)
	if !ok {
		return nil, c.errorf(1, "want the list of items, got %s", describe(params[0]))
	}
	report, err := c.str(1)
	if err != nil {
		return nil, err
	}
	rt, err := s.reportType(items, report)
	if err != nil {
		return nil, c.wrap(2, err)
	}
	row, err := rowMap(params[2])
	if err != nil {
		return nil, c.wrap(3, err)
	}
	return s.mapRow(c, rt, row)
}

// mapRow maps one row by the report type.
func (s *shadowserver) mapRow(c call, rt *reportType, row map[string]any) (any, error) {
	// unused counts the columns not yet consumed, as IntelMQ's list of
	// field names from which each consumed column is removed once.
	unused := make(map[string]int, len(row))
	for k := range row {
		unused[k] = 1
	}
	out := map[string]any{}
	extra := map[string]any{}
	for _, col := range rt.cols {
		raw, present := row[col.name]
		if unused[col.name] == 0 {
			if !present {
				if col.required {
					return nil, c.errorf(0, "required column %q not found in the report", col.name)
				}
				continue // IntelMQ warns and goes on
			}
			unused[col.name]++ // a column used twice
		}
		var value any = raw
		if raw != nil && col.conv != "" {
			var rowArg map[string]any
			if col.passRow {
				rowArg = row
			}
			v, err := s.apply(col.conv, raw, rowArg)
			var unknown unknownConversion
			switch {
			case err == nil:
				value = v
			case col.required || !asUnknown(err, &unknown):
				return nil, c.errorf(0, "cannot convert column %q (%q) with %s: %v", col.name, raw, col.conv, err)
			}
		}
		if value == nil {
			if !col.required {
				unused[col.name]--
			}
			continue
		}
		switch {
		case col.drop && !col.required:
			unused[col.name]--
			continue
		case !col.required && col.field == "extra.":
			extra[col.name] = value
			unused[col.name]--
			continue
		case len(col.field) > len("extra.") && strings.HasPrefix(col.field, "extra."):
			extra[strings.TrimPrefix(col.field, "extra.")] = value
			unused[col.name]--
			continue
		}
		if _, exists := out[col.field]; exists {
			return nil, c.errorf(0, "column %q: the field %s is already set", col.name, col.field)
		}
		if ignoredValue(value) {
			unused[col.name]--
			continue
		}
		f, keyErr := s.schema.LookupField(harmonization.Event, col.field)
		if keyErr != nil || col.drop {
			// IntelMQ: a required field outside the harmonization is
			// dropped with a warning, an optional one goes to extra.
			if !col.required {
				extra[col.field] = value
			}
			unused[col.name]--
			continue
		}
		v, err := harmonization.FromAny(value)
		if err == nil {
			v, err = f.SanitizeValidate(v)
		}
		if err != nil {
			if col.required {
				return nil, c.errorf(0, "column %q: %v", col.name, err)
			}
			continue // IntelMQ leaves the column to extra
		}
		out[col.field] = v.Any()
		unused[col.name]--
	}
	for _, k := range rt.consts {
		if x, ok := strings.CutPrefix(k.field, "extra."); ok {
			extra[x] = k.value
			continue
		}
		out[k.field] = k.value
	}
	for k, n := range unused {
		if n <= 0 {
			continue
		}
		if v := row[k]; v != nil && v != "" {
			extra[k] = v
		}
	}
	if len(extra) > 0 {
		out["extra"] = extra
	}
	return out, nil
}

func asUnknown(err error, target *unknownConversion) bool {
	u, ok := err.(unknownConversion)
	if ok {
		*target = u
	}
	return ok
}
