// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"regexp"
	"testing"
)

// TestAppendSanitizedAgreesWithSanitizeValidate checks that whatever
// AppendSanitized writes is the text of SanitizeValidate's valid string
// result, and that it declines for other types, constrained fields and
// canonical or invalid values.
func TestAppendSanitizedAgreesWithSanitizeValidate(t *testing.T) {
	s := Default()
	timeSource, err := s.LookupField(Event, "time.source")
	if err != nil {
		t.Fatal(err)
	}
	ip, err := s.LookupField(Event, "source.ip")
	if err != nil {
		t.Fatal(err)
	}
	limited := &Field{Key: "x", Type: dateTimeType{}, Length: 10}
	matched := &Field{Key: "x", Type: dateTimeType{}, Regex: regexp.MustCompile("^2")}
	values := []Value{String("2021-01-17 07:44:46 UTC"), String("2021-01-17 07:44:46"), String(" 2021-01-17T07:44:46Z "),
		String("2021-01-17T07:44:46+00:00"), String("2021-01-17T07:44:46.5+01:00"), String("2021-02-30 07:44:46"),
		String("0000-01-17 07:44:46"), String("bogus"), String(""), String("Mar 4, 2020 5:06 PM"), Int(1600000000),
		String("192.0.2.1")}
	written := 0
	for _, f := range []*Field{timeSource, ip, limited, matched} {
		for _, v := range values {
			b, ok := f.AppendSanitized([]byte("x"), v)
			want, err := f.SanitizeValidate(v)
			switch {
			case !ok:
				if string(b) != "x" {
					t.Errorf("%s: AppendSanitized(%v) declined but wrote %q", f.Key, v, b)
				}
				if f == timeSource && err == nil && v.Kind() == KindString && want.Str() != v.Str() {
					t.Errorf("%s: AppendSanitized(%v) declined a value that sanitizes to %v", f.Key, v, want)
				}
			case err != nil || want.Kind() != KindString || "x"+want.Str() != string(b):
				t.Errorf("%s: AppendSanitized(%v) = %q; SanitizeValidate gives %v, %v", f.Key, v, b, want, err)
			case f != timeSource:
				t.Errorf("%s: AppendSanitized(%v) wrote for a field it must decline", f.Key, v)
			default:
				written++
			}
		}
	}
	if written < 4 {
		t.Errorf("AppendSanitized wrote only %d values", written)
	}
}
