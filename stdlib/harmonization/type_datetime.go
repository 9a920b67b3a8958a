// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "github.com/intelmq-go/intelmq/stdlib/datetime"

// dateTimeType is IntelMQ's DateTime: a UTC timestamp in canonical ISO 8601
// form.
type dateTimeType struct{}

func (dateTimeType) Name() string { return TypeDateTime }

// Validate accepts only the canonical form "YYYY-MM-DDTHH:MM:SS+00:00", or
// the same with a fraction of one to six digits before "+00:00". "Z", a
// space separator and other offsets are invalid.
func (dateTimeType) Validate(v Value) bool {
	return v.kind == KindString && datetime.IsCanonical(v.s)
}

// Sanitize keeps a canonical value unchanged; any other string is parsed
// with datetime.Parse (ISO 8601, RFC 3339, RFC 1123 and the other forms it
// lists; no zone means UTC), converted to UTC and written canonically, with a
// six-digit fraction only when the microseconds are not zero. Numbers,
// including epoch timestamps, fail, as in IntelMQ.
func (t dateTimeType) Sanitize(v Value) (Value, error) {
	out, _, err := t.sanitizeValid(v)
	return out, err
}

// sanitizeValid is Sanitize; its result, canonical, is always valid.
func (dateTimeType) sanitizeValid(v Value) (Value, bool, error) {
	if v.kind != KindString {
		return Value{}, false, failf(TypeDateTime, "a %s value is not a date and time", v.kind)
	}
	if datetime.IsCanonical(v.s) {
		return v, true, nil
	}
	var buf [40]byte
	b, err := datetime.AppendParsed(buf[:0], v.s)
	if err != nil {
		return Value{}, false, failf(TypeDateTime, "%v", err)
	}
	return String(string(b)), true, nil
}
