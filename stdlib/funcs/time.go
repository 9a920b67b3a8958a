// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/intelmq-go/intelmq/stdlib/datetime"
)

// timeFuncs returns the date and time conversions. Each returns IntelMQ's
// canonical DateTime text.
func timeFuncs() []Func {
	return []Func{
		{
			Name:      "parseTime",
			Signature: "parseTime(value string, layout string) string",
			Doc: "Reads value with a Python strptime layout (%Y, %m, %d, %H, %M, %S, %f, %z, %Z, %b, %p, ...) " +
				"and returns the canonical UTC time; without %z or %Z the value is UTC. " +
				"This is IntelMQ's time_format \"from_format|<layout>\".",
			Types: []any{new(func(string, string) string)},
			Fn:    parseTime,
		},
		{
			Name:      "fromEpoch",
			Signature: "fromEpoch(seconds int|float|string) string",
			Doc: "Converts seconds since 1970-01-01 UTC (fractions kept to the microsecond) to the canonical " +
				"UTC time, like IntelMQ's time_format \"timestamp\".",
			Types: []any{new(func(int) string), new(func(float64) string), new(func(string) string)},
			Fn:    fromEpoch,
		},
		{
			Name:      "fromEpochMillis",
			Signature: "fromEpochMillis(value int|string) string",
			Doc: "Converts IntelMQ's \"epoch_millis\": a number of 13 digits is milliseconds, of 12 digits " +
				"centiseconds and of 10 digits seconds since 1970 (the sub-second part is dropped); " +
				"other lengths are an error.",
			Types: []any{new(func(int) string), new(func(float64) string), new(func(string) string)},
			Fn:    fromEpochMillis,
		},
		{
			Name:      "fromWindowsNT",
			Signature: "fromWindowsNT(ticks int|string) string",
			Doc: "Converts a Windows NT / LDAP / Active Directory time, 100-nanosecond ticks since " +
				"1601-01-01 UTC, to the canonical UTC time (IntelMQ's \"windows_nt\").",
			Types: []any{new(func(int) string), new(func(float64) string), new(func(string) string)},
			Fn:    fromWindowsNT,
		},
		{
			Name:      "utcTime",
			Signature: "utcTime(value string|time) string",
			Doc: "Reads an ISO 8601, RFC 3339, RFC 1123 or other common date and time form (\"2020-03-04 05:06:07 CET\", " +
				"\"Wed, 04 Mar 2020 05:06:07 GMT\", \"2020-03-04\") and returns the canonical UTC time; naive " +
				"values are UTC. Unlike IntelMQ's fuzzy parser it never guesses missing parts.",
			Types: []any{new(func(string) string), new(func(time.Time) string)},
			Fn:    utcTime,
		},
		{
			Name:      "timeFormat",
			Signature: "timeFormat(format string, value string|int|float) string",
			Doc: "Applies an IntelMQ time_format by name: \"timestamp\", \"epoch_millis\", \"windows_nt\", " +
				"\"from_format|<layout>\", \"from_format_midnight|<layout>\", \"utc_isoformat\" or \"fuzzy\".",
			Types: []any{new(func(string, string) string), new(func(string, int) string), new(func(string, float64) string)},
			Fn:    timeFormat,
		},
	}
}

// parseTime implements parseTime(value, layout).
func parseTime(params ...any) (any, error) {
	c := call{"parseTime", params}
	if err := c.count(2, 2); err != nil {
		return nil, err
	}
	value, err := c.str(0)
	if err != nil {
		return nil, err
	}
	layout, err := c.str(1)
	if err != nil {
		return nil, err
	}
	t, err := datetime.FromLayout(layout, value)
	if errors.Is(err, datetime.ErrLayout) {
		return nil, c.wrap(2, err)
	}
	if err != nil {
		return nil, c.wrap(1, err)
	}
	return datetime.Format(t), nil
}

// fromEpoch implements fromEpoch(seconds).
func fromEpoch(params ...any) (any, error) {
	return convertNumber(call{"fromEpoch", params}, "timestamp")
}

// fromEpochMillis implements fromEpochMillis(value).
func fromEpochMillis(params ...any) (any, error) {
	return convertNumber(call{"fromEpochMillis", params}, "epoch_millis")
}

// fromWindowsNT implements fromWindowsNT(ticks).
func fromWindowsNT(params ...any) (any, error) {
	return convertNumber(call{"fromWindowsNT", params}, "windows_nt")
}

// convertNumber applies a numeric time_format to the only argument.
func convertNumber(c call, format string) (any, error) {
	if err := c.count(1, 1); err != nil {
		return nil, err
	}
	text, err := numberText(c, 0)
	if err != nil {
		return nil, err
	}
	out, err := datetime.Convert(format, text)
	if err != nil {
		return nil, c.wrap(1, err)
	}
	return out, nil
}

// numberText returns argument i as text for datetime.Convert: strings as
// they are, integers in decimal, floats in plain decimal notation.
func numberText(c call, i int) (string, error) {
	switch v := c.params[i].(type) {
	case string:
		return v, nil
	case nil:
		return "", nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", c.errorf(i+1, "want a number, got %v", v)
		}
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32), nil
	case int:
		return strconv.Itoa(v), nil
	}
	if n, ok := otherInt(c.params[i]); ok {
		return strconv.Itoa(n), nil
	}
	return "", c.errorf(i+1, "want a number or a string, got %s", describe(c.params[i]))
}

// utcTime implements utcTime(value).
func utcTime(params ...any) (any, error) {
	c := call{"utcTime", params}
	if err := c.count(1, 1); err != nil {
		return nil, err
	}
	if t, ok := params[0].(time.Time); ok {
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return nil, c.errorf(1, "year %d outside 1..9999", y)
		}
		return datetime.Format(t), nil
	}
	value, err := c.str(0)
	if err != nil {
		return nil, err
	}
	t, err := datetime.Parse(value)
	if err != nil {
		return nil, c.wrap(1, err)
	}
	return datetime.Format(t), nil
}

// timeFormat implements timeFormat(format, value).
func timeFormat(params ...any) (any, error) {
	c := call{"timeFormat", params}
	if err := c.count(2, 2); err != nil {
		return nil, err
	}
	format, err := c.str(0)
	if err != nil {
		return nil, err
	}
	if err := datetime.ValidFormat(format); err != nil {
		return nil, c.wrap(1, err)
	}
	value, err := numberText(c, 1)
	if err != nil {
		return nil, err
	}
	out, err := datetime.Convert(format, value)
	if err != nil {
		return nil, c.wrap(2, err)
	}
	return out, nil
}
