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

// AppendSanitized appends the text of f.SanitizeValidate(v) to b, for a
// caller that keeps the sanitized text in memory of its own rather than in
// a new string, when f's type can write it there: ok is true when the
// result of SanitizeValidate is a valid string value whose text is what
// was appended, and false (with b unchanged) when the caller must call
// SanitizeValidate itself. Only DateTime fields without a length or regex
// constraint, for a value that is not already canonical, write their text.
func (f *Field) AppendSanitized(b []byte, v Value) (_ []byte, ok bool) {
	if !f.AppendsSanitized() || v.kind != KindString || datetime.IsCanonical(v.s) {
		return b, false
	}
	out, err := datetime.AppendParsed(b, v.s)
	if err != nil {
		return b, false
	}
	return out, true
}

// AppendsSanitized reports whether AppendSanitized may write the sanitized
// text of f's values, so that a caller can decide once per field whether
// to try it.
func (f *Field) AppendsSanitized() bool {
	_, isDateTime := f.Type.(dateTimeType)
	return isDateTime && f.Length == 0 && f.Regex == nil && f.IRegex == nil
}
