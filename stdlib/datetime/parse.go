// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every error of this package that reports a value
// which is not a date and time it accepts.
var ErrInvalid = errors.New("invalid date/time")

// maxInputLen bounds the input Parse looks at; no real timestamp is longer.
const maxInputLen = 128

// invalid returns an error wrapping ErrInvalid that quotes the value.
func invalid(value, reason string) error {
	return fmt.Errorf("%w %q: %s", ErrInvalid, value, reason)
}

// Parse reads a date and time written in one of the forms feeds use and
// returns it in UTC, with precision truncated to microseconds. Surrounding
// white space is ignored. Accepted forms:
//
//   - ISO 8601 / RFC 3339: "2020-03-04T05:06:07Z", with "T", "t" or spaces
//     between date and time, "/" instead of "-" in the date, optional seconds,
//     optional fraction of any length ("." or ","), and a zone that is "Z",
//     a numeric offset ("+01:00", "+0100", "+01") or a zone name ("UTC",
//     "CET", ...), optionally after spaces; a numeric offset may be followed by
//     a zone name or a parenthesised comment ("+0100 (CET)").
//   - Basic ISO form: "20200304", "20200304T050607Z", "20200304T0506",
//     "20200304050607".
//   - Date only: "2020-03-04" means midnight UTC; a zone may follow
//     ("2020-03-04+00:00", "2020-03-04 CET"), meaning midnight there.
//   - RFC 1123, RFC 822, RFC 850, ANSIC, Unix date and Ruby date forms, and
//     other word forms: "Wed, 04 Mar 2020 05:06:07 GMT", "04 Mar 2020 05:06",
//     "Mar 4 2020", "March 4, 2020 5:06 PM", "04-Mar-2020 05:06:07".
//   - Numeric dates with the year last: "03/04/2020" is month first, as in
//     IntelMQ (dateutil), unless the first number exceeds 12; "04.03.2020"
//     (dots) is day first.
//
// A weekday name is ignored. Two-digit years mean 1969..2068. A value without
// a zone is UTC; a value with a zone is converted to UTC. Zone names are
// looked up in a small table of unambiguous abbreviations (UTC, GMT, Z, UT,
// WET, CET, CEST, EET, MSK, EST, EDT, CST, CDT, MST, MDT, PST, PDT, JST, ...);
// an unknown name is an error, whereas IntelMQ silently takes it as UTC.
//
// Unlike dateutil's fuzzy parser, Parse never fills in parts from the current
// date and never skips unknown words: "5", "1580000000", "foo 2020-03-04" and
// "2020-03" are errors. Errors wrap ErrInvalid.
func Parse(s string) (time.Time, error) {
	f, s, err := parseFields(s)
	if err != nil {
		return time.Time{}, err
	}
	return f.time(s)
}

// AppendParsed appends Format(Parse(s)) to b, or returns Parse's error. A
// value without a zone offset is written straight from its fields, without
// the work of building a time.Time.
func AppendParsed(b []byte, s string) ([]byte, error) {
	// A plain "YYYY-MM-DD HH:MM:SS" value in UTC (simpleFields; never
	// canonical, which is longer) holds the canonical digits already.
	if t := strings.TrimSpace(s); len(t) >= 19 && len(t) < canonicalLen {
		if isSimple(t) {
			b = append(b, t[:10]...)
			b = append(b, 'T')
			b = append(b, t[11:19]...)
			return append(b, "+00:00"...), nil
		}
	}
	f, s, err := parseFields(s)
	if err != nil {
		return b, err
	}
	if f.offset != 0 || f.nsec < 0 || f.nsec >= 1e9 {
		t, err := f.time(s)
		if err != nil {
			return b, err
		}
		return AppendFormat(b, t), nil
	}
	// What f.time checks for a value in UTC; the year stays in 1..9999.
	if err := f.check(s); err != nil {
		return b, err
	}
	return f.appendCanonical(b), nil
}

// parseFields is Parse up to the fields: it returns them and s without its
// surrounding white space.
func parseFields(s string) (fields, string, error) {
	s = strings.TrimSpace(s)
	if f, ok := canonicalFields(s); ok {
		return f, s, nil
	}
	if s == "" {
		return fields{}, s, invalid(s, "empty value")
	}
	if len(s) > maxInputLen {
		return fields{}, s, invalid(s[:maxInputLen]+"...", "value too long")
	}
	if f, ok := simpleFields(s); ok {
		return f, s, nil
	}
	if f, ok := parseISO(s); ok {
		return f, s, nil
	}
	f, err := parseWords(s)
	if err != nil {
		return fields{}, s, invalid(s, err.Error())
	}
	return f, s, nil
}

// fields holds the parts of a date and time while it is parsed.
type fields struct {
	year, month, day     int
	hour, minute, second int
	nsec                 int
	offset               int // seconds east of UTC
}

// time validates the fields and returns the instant they name, in UTC and
// truncated to microseconds. value is quoted in errors.
func (f *fields) time(value string) (time.Time, error) {
	if err := f.check(value); err != nil {
		return time.Time{}, err
	}
	if f.offset <= -24*3600 || f.offset >= 24*3600 {
		return time.Time{}, invalid(value, "zone offset out of range")
	}
	t := time.Date(f.year, time.Month(f.month), f.day, f.hour, f.minute, f.second,
		f.nsec-f.nsec%1000, time.UTC).Add(-time.Duration(f.offset) * time.Second)
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, invalid(value, "year out of range 1..9999")
	}
	return t, nil
}

// check validates the date and the time of day.
func (f *fields) check(value string) error {
	if !validDate(f.year, f.month, f.day) {
		return invalid(value, "no such date")
	}
	if f.hour > 23 || f.minute > 59 || f.second > 59 {
		return invalid(value, "no such time of day")
	}
	return nil
}

// appendCanonical appends the canonical form of valid fields in UTC, as
// AppendFormat writes the instant they name.
func (f *fields) appendCanonical(b []byte) []byte {
	b = appendDigits(b, f.year, 4)
	b = append(b, '-')
	b = append2(b, f.month)
	b = append(b, '-')
	b = append2(b, f.day)
	b = append(b, 'T')
	b = append2(b, f.hour)
	b = append(b, ':')
	b = append2(b, f.minute)
	b = append(b, ':')
	b = append2(b, f.second)
	if us := f.nsec / 1000; us != 0 {
		b = append(b, '.')
		b = appendDigits(b, us, 6)
	}
	return append(b, "+00:00"...)
}

// append2 appends v in 0..99 as two digits.
func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

// scanner walks a string byte by byte.
type scanner struct {
	s string
	i int
}

// done reports whether the whole string was consumed.
func (p *scanner) done() bool { return p.i >= len(p.s) }

// peek returns the next byte, or 0 at the end.
func (p *scanner) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// eat consumes c if it is the next byte.
func (p *scanner) eat(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

// spaces consumes spaces and tabs and reports whether there were any.
func (p *scanner) spaces() bool {
	start := p.i
	for p.peek() == ' ' || p.peek() == '\t' {
		p.i++
	}
	return p.i > start
}

// num consumes up to max digits and returns their value and count.
func (p *scanner) num(max int) (v, n int) {
	for n < max && p.i < len(p.s) && isDigit(p.s[p.i]) {
		v = v*10 + int(p.s[p.i]-'0')
		p.i++
		n++
	}
	return v, n
}

// fraction consumes a run of digits and returns it as nanoseconds; digits
// beyond the ninth are dropped. It reports false when there is no digit.
func (p *scanner) fraction() (int, bool) {
	nsec, n := 0, 0
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		if n < 9 {
			nsec = nsec*10 + int(p.s[p.i]-'0')
			n++
		}
		p.i++
	}
	if n == 0 {
		return 0, false
	}
	return nsec * pow10(9-n), true
}

// word consumes a run of ASCII letters.
func (p *scanner) word() string {
	start := p.i
	for p.i < len(p.s) && isLetter(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// parseISO parses the ISO 8601 family (extended and basic forms). It reports
// false when s is not of that family; the values are validated later.
func parseISO(s string) (fields, bool) {
	var f fields
	p := scanner{s: s}
	v, n := p.num(14)
	basic := n == 8
	switch {
	case n == 14:
		f.year, f.month, f.day = v/1e10, v/1e8%100, v/1e6%100
		f.hour, f.minute, f.second = v/1e4%100, v/100%100, v%100
		return f, p.isoZone(&f)
	case basic:
		f.year, f.month, f.day = v/10000, v/100%100, v%100
	case n == 4:
		sep := p.peek()
		if sep != '-' && sep != '/' {
			return f, false
		}
		p.i++
		f.year = v
		if f.month, n = p.num(2); n == 0 || !p.eat(sep) {
			return f, false
		}
		if f.day, n = p.num(2); n == 0 {
			return f, false
		}
	default:
		return f, false
	}
	switch c := p.peek(); {
	case p.done():
		return f, true
	case c == '+' || c == '-' || c == 'Z' || c == 'z':
		return f, p.isoZone(&f) // a date with a zone: "2020-03-04+00:00"
	case p.eat('T') || p.eat('t'):
	case p.spaces():
		if !isDigit(p.peek()) {
			return f, p.isoZone(&f) // "2020-03-04 UTC"
		}
	default:
		return f, false
	}
	if !p.clock(&f, basic) {
		return f, false
	}
	return f, p.isoZone(&f)
}

// clock parses "H:MM[:SS[.f]]", or "HHMM[SS[.f]]" when basic allows it.
func (p *scanner) clock(f *fields, basic bool) bool {
	var n int
	if f.hour, n = p.num(2); n == 0 {
		return false
	}
	colon := p.eat(':')
	if !colon && !(basic && n == 2) {
		return false
	}
	if f.minute, n = p.num(2); n != 2 {
		return false
	}
	if (colon && p.eat(':')) || (!colon && isDigit(p.peek())) {
		if f.second, n = p.num(2); n != 2 {
			return false
		}
		if p.eat('.') || p.eat(',') {
			var ok bool
			if f.nsec, ok = p.fraction(); !ok {
				return false
			}
		}
	}
	return true
}

// isoZone parses what may follow an ISO time: nothing, or a zone with
// optional spaces before it.
func (p *scanner) isoZone(f *fields) bool {
	p.spaces()
	if p.done() {
		return true
	}
	if c := p.peek(); c == '+' || c == '-' {
		off, ok := p.numericOffset()
		if !ok {
			return false
		}
		f.offset = off
		if p.spaces() && !p.done() {
			// A zone name or "(comment)" may follow a numeric offset.
			if !p.eat('(') {
				_, ok := zoneOffset(p.word())
				return ok && p.done()
			}
			p.word()
			return p.eat(')') && p.done()
		}
		return p.done()
	}
	off, ok := zoneOffset(p.word())
	f.offset = off
	return ok && p.done()
}

// numericOffset parses "+HH", "+HHMM" or "+HH:MM" (or with "-").
func (p *scanner) numericOffset() (int, bool) {
	sign := 1
	if p.eat('-') {
		sign = -1
	} else if !p.eat('+') {
		return 0, false
	}
	h, n := p.num(2)
	if n != 2 {
		return 0, false
	}
	m := 0
	colon := p.eat(':')
	if colon || isDigit(p.peek()) {
		if m, n = p.num(2); n != 2 || m > 59 {
			return 0, false
		}
	}
	return sign * (h*3600 + m*60), true
}
