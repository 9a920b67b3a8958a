// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import "time"

// canonicalLen is the length of "2006-01-02T15:04:05+00:00".
const canonicalLen = len("2006-01-02T15:04:05+00:00")

// Format returns t in IntelMQ's canonical DateTime form: converted to UTC,
// "YYYY-MM-DDTHH:MM:SS+00:00", with a ".ffffff" fraction of exactly six
// digits inserted before the offset only when the microseconds are not zero.
// Nanoseconds below the microsecond are truncated. Years outside 1..9999
// cannot be written in this form; Parse and the converters never return them.
func Format(t time.Time) string {
	var buf [canonicalLen + 7]byte
	return string(AppendFormat(buf[:0], t))
}

// AppendFormat appends the canonical form of t, as written by Format, to b
// and returns the extended slice.
func AppendFormat(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	if us := t.Nanosecond() / 1000; us != 0 {
		b = append(b, '.')
		b = appendDigits(b, us, 6)
	}
	return append(b, "+00:00"...)
}

// appendDigits appends the decimal form of a non-negative v, left-padded
// with zeros to width digits.
func appendDigits(b []byte, v, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	if v < 0 {
		v = -v
		b = append(b, '-')
	}
	for v > 0 || len(tmp)-i < width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[i:]...)
}

// IsCanonical reports whether s is a valid IntelMQ DateTime value without
// sanitizing it: exactly "YYYY-MM-DDTHH:MM:SS+00:00", or the same with a "."
// and one to six fraction digits before "+00:00", naming a real calendar date
// and time (year 1..9999, seconds 0..59). It does not allocate.
//
// IntelMQ checks this with Python's strptime, which also accepts single-digit
// month, day and time fields ("2020-3-4T5:6:7+00:00"); such values are not
// canonical here.
func IsCanonical(s string) bool {
	_, ok := canonicalFields(s)
	return ok
}

// parseCanonical parses s when it is in canonical form.
func parseCanonical(s string) (time.Time, bool) {
	f, ok := canonicalFields(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(f.year, time.Month(f.month), f.day, f.hour, f.minute, f.second, f.nsec, time.UTC), true
}

// canonicalFields splits and validates s when it is in canonical form.
func canonicalFields(s string) (fields, bool) {
	var f fields
	if len(s) < canonicalLen || len(s) > canonicalLen+7 {
		return f, false
	}
	if s[10] != 'T' {
		return f, false
	}
	if z := s[len(s)-6:]; z[0] != '+' || z[1] != '0' || z[2] != '0' || z[3] != ':' || z[4] != '0' || z[5] != '0' {
		return f, false
	}
	f, ok := dateTimeDigits(s[:19])
	if !ok {
		return f, false
	}
	if frac := s[19 : len(s)-6]; frac != "" {
		if len(frac) < 2 || frac[0] != '.' {
			return f, false
		}
		v, ok := fixedDigits(frac[1:])
		if !ok {
			return f, false
		}
		f.nsec = v * pow10(9-(len(frac)-1))
	}
	valid := validDate(f.year, f.month, f.day) && f.hour <= 23 && f.minute <= 59 && f.second <= 59
	return f, valid
}

// dateTimeDigits reads d, "YYYY-MM-DD?HH:MM:SS" with any byte at "?", into
// fields, without checking their ranges.
func dateTimeDigits(d string) (fields, bool) {
	var f fields
	if len(d) != 19 || d[4] != '-' || d[7] != '-' || d[13] != ':' || d[16] != ':' {
		return f, false
	}
	// A byte below '0' wraps around to above 9, so comparing the largest
	// digit with 9 checks every byte.
	y0, y1, y2, y3 := d[0]-'0', d[1]-'0', d[2]-'0', d[3]-'0'
	mo0, mo1, d0, d1 := d[5]-'0', d[6]-'0', d[8]-'0', d[9]-'0'
	h0, h1, mi0, mi1, s0, s1 := d[11]-'0', d[12]-'0', d[14]-'0', d[15]-'0', d[17]-'0', d[18]-'0'
	if max(y0, y1, y2, y3, mo0, mo1, d0, d1, h0, h1, mi0, mi1, s0, s1) > 9 {
		return f, false
	}
	f.year = int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3)
	f.month, f.day = int(mo0)*10+int(mo1), int(d0)*10+int(d1)
	f.hour, f.minute, f.second = int(h0)*10+int(h1), int(mi0)*10+int(mi1), int(s0)*10+int(s1)
	return f, true
}

// simpleFields reads the commonest form feeds write that is not canonical,
// "YYYY-MM-DD HH:MM:SS" (or with "T") without a zone or with " UTC" or "Z",
// when it names a valid date and time: it gives the fields parseISO gives,
// with less work. Anything else is left to parseISO.
func simpleFields(s string) (fields, bool) {
	if !isSimple(s) {
		return fields{}, false
	}
	return dateTimeDigits(s[:19])
}

// isSimple reports whether simpleFields accepts s, without building its
// fields: the check of the commonest time form, eight bytes at a time.
func isSimple(s string) bool {
	if len(s) < 19 {
		return false
	}
	switch s[19:] {
	case "", " UTC", "Z":
	default:
		return false
	}
	// "YYYY-MM-", "DD?HH:MM" and "HH:MM:SS" as little-endian words; the
	// masks mark their digits, the rest must be the separators.
	w0, w1, w2 := word(s[0:8]), word(s[8:16]), word(s[11:19])
	const (
		m0, sep0 = 0x00FFFF00FFFFFFFF, 0x2D00002D00000000 // '-' at 4 and 7
		m1, sep1 = 0xFFFF00FFFF00FFFF, 0x00003A0000000000 // ':' at 5; s[10] at 2
		m2, sep2 = 0xFFFF00FFFF00FFFF, 0x00003A00003A0000 // ':' at 2 and 5
	)
	if !digits(w0, m0) || !digits(w1, m1) || !digits(w2, m2) ||
		w0&^m0 != sep0 || w1&^m1&^0xFF0000 != sep1 || w2&^m2 != sep2 || (s[10] != ' ' && s[10] != 'T') {
		return false
	}
	two := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	if two(11) > 23 || two(14) > 59 || two(17) > 59 {
		return false
	}
	return validDate(two(0)*100+two(2), two(5), two(8))
}

// word returns the eight bytes of s, little endian.
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// digits reports whether the bytes of w that mask m marks are all ASCII
// digits. A byte of 0x30..0x3F is a digit when adding 6 keeps its high
// half at 3; a byte that fails the first test may carry into the next
// one, but the answer is false then anyway.
func digits(w, m uint64) bool {
	const hi, three, six = 0xF0F0F0F0F0F0F0F0, 0x3030303030303030, 0x0606060606060606
	return w&m&hi == three&m && (w+six)&m&hi == three&m
}

// pow10 returns 10 to the power n, for small non-negative n.
func pow10(n int) int {
	v := 1
	for ; n > 0; n-- {
		v *= 10
	}
	return v
}

// fixedDigits parses s, which must be all ASCII digits (at most 9).
func fixedDigits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// validDate reports whether year-month-day is a real day of the proleptic
// Gregorian calendar with year in 1..9999.
func validDate(year, month, day int) bool {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= daysIn(year, month)
}

// daysIn returns the number of days of month in year.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
