// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what FromLayout reads; real layouts and values are far shorter.
const (
	maxLayoutLen = 256
	maxValueLen  = 512
)

// ErrLayout is wrapped by the errors that report a layout FromLayout cannot
// use (as opposed to a value that does not match it).
var ErrLayout = errors.New("invalid strptime layout")

// FromLayout reads s with a Python strptime layout, as IntelMQ's
// "from_format|<layout>" conversion does, and returns the instant in UTC.
// Surrounding white space of s is ignored (Python would reject it); white
// space in the layout matches one or more white space characters; the rest
// of the layout matches case-insensitively and must consume all of s.
//
// Directives (C locale, English names):
//
//	%Y  four-digit year            %y  two-digit year (69..99 → 19xx, else 20xx)
//	%m  month 1..12                %b  month abbreviation    %B  month name
//	%d  day 1..31 (" 4" allowed)   %e  like %d               %j  day of year 1..366
//	%H  hour 0..23                 %I  hour 1..12            %p  AM or PM
//	%M  minute 0..59               %S  second 0..59          %f  1..6 fraction digits
//	%a  weekday abbreviation       %A  weekday name          %w  weekday 0..6   %u  weekday 1..7
//	%z  offset "Z", "+HHMM", "+HH:MM", optionally with seconds
//	%Z  zone name from the table Parse uses
//	%c  "%a %b %d %H:%M:%S %Y"     %x  "%m/%d/%y"            %X  "%H:%M:%S"
//	%%  a literal "%"
//
// Fields that are missing default as in Python: year 1900, month and day 1,
// time 00:00:00. Weekdays are read and ignored. %j sets month and day. %I
// without %p is an AM hour. Without %z or %Z the value is UTC. Unlike Python,
// which ignores a %Z name other than UTC and GMT, a %Z name's offset is
// applied; %z wins when both are present. A directive given twice is a layout
// error, as in Python.
//
// Errors wrap ErrLayout when the layout is unusable and ErrInvalid when s
// does not match it or names no real date.
func FromLayout(layout, s string) (time.Time, error) {
	f, err := strptime(layout, s)
	if err != nil {
		return time.Time{}, err
	}
	return f.time(s)
}

// FromLayoutMidnight reads s with a strptime layout like FromLayout, then
// keeps only the date as written (no zone conversion) and returns midnight
// UTC of that day, as IntelMQ's "from_format_midnight|<layout>" does.
func FromLayoutMidnight(layout, s string) (time.Time, error) {
	f, err := strptime(layout, s)
	if err != nil {
		return time.Time{}, err
	}
	f.offset = 0 // the date is taken as written
	if _, err := f.time(s); err != nil {
		return time.Time{}, err
	}
	return time.Date(f.year, time.Month(f.month), f.day, 0, 0, 0, 0, time.UTC), nil
}

// CheckLayout reports whether FromLayout can use layout, returning an error
// wrapping ErrLayout that names the problem when it cannot.
func CheckLayout(layout string) error {
	_, err := compileLayout(layout)
	return err
}

// itemKind says what one element of a compiled layout matches.
type itemKind uint8

const (
	itemLiteral itemKind = iota // one rune, case-insensitively
	itemSpace                   // one or more white space characters
	itemDirective
)

// item is one element of a compiled layout.
type item struct {
	kind itemKind
	r    rune // the literal rune, or the directive letter
}

// compileLayout splits a layout into items, expanding %c, %x and %X.
func compileLayout(layout string) ([]item, error) {
	if len(layout) > maxLayoutLen {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrLayout, maxLayoutLen)
	}
	if !utf8.ValidString(layout) {
		return nil, fmt.Errorf("%w: not valid UTF-8", ErrLayout)
	}
	items := make([]item, 0, len(layout))
	var seen [128]bool
	for i := 0; i < len(layout); {
		r, size := utf8.DecodeRuneInString(layout[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			if n := len(items); n == 0 || items[n-1].kind != itemSpace {
				items = append(items, item{kind: itemSpace})
			}
			continue
		case r != '%':
			items = append(items, item{kind: itemLiteral, r: r})
			continue
		case i == len(layout):
			return nil, fmt.Errorf("%w %q: stray %% at the end", ErrLayout, layout)
		}
		d := layout[i]
		i++
		var err error
		if items, err = appendDirective(items, d, &seen); err != nil {
			return nil, fmt.Errorf("%w %q: %w", ErrLayout, layout, err)
		}
	}
	return items, nil
}

// appendDirective appends the items of directive d, marking it seen.
func appendDirective(items []item, d byte, seen *[128]bool) ([]item, error) {
	if expansion := expandDirective(d); expansion != "" {
		for j := 0; j < len(expansion); j++ {
			var err error
			switch c := expansion[j]; c {
			case ' ':
				items = append(items, item{kind: itemSpace})
			case '%':
				j++
				items, err = appendDirective(items, expansion[j], seen)
			default:
				items = append(items, item{kind: itemLiteral, r: rune(c)})
			}
			if err != nil {
				return nil, err
			}
		}
		return items, nil
	}
	if d == '%' {
		return append(items, item{kind: itemLiteral, r: '%'}), nil
	}
	if !knownDirective(d) {
		return nil, fmt.Errorf("%%%c is not a supported directive", d)
	}
	if seen[d] {
		return nil, fmt.Errorf("%%%c is given twice", d)
	}
	seen[d] = true
	return append(items, item{kind: itemDirective, r: rune(d)}), nil
}

// expandDirective returns the C-locale layout a composite directive stands
// for, or "".
func expandDirective(d byte) string {
	switch d {
	case 'c':
		return "%a %b %d %H:%M:%S %Y"
	case 'x':
		return "%m/%d/%y"
	case 'X':
		return "%H:%M:%S"
	}
	return ""
}

// knownDirective reports whether d is a single-field directive.
func knownDirective(d byte) bool {
	return strings.IndexByte("YymbBdejHIpMSfaAwuzZ", d) >= 0
}

// parsed holds what a successful match read.
type parsed struct {
	year, month, day, hour, minute, second, usec int
	yday                                         int // %j, 0 when absent
	hour12                                       int // %I, 0 when absent
	pm, hasPM                                    bool
	offset                                       int
	hasOffset, hasZoneName                       bool
	zoneNameOffset                               int
	hasYear                                      bool
	twoDigitYear                                 int // %y, -1 when absent
}

// matcher runs a compiled layout against a value with backtracking; failed
// (item, position) pairs are remembered so that matching stays polynomial.
type matcher struct {
	items  []item
	s      string
	failed []bool // (len(items)+1) × (len(s)+1)
	p      parsed
}

// strptime matches s against layout and returns the resulting fields.
func strptime(layout, s string) (fields, error) {
	items, err := compileLayout(layout)
	if err != nil {
		return fields{}, err
	}
	value := strings.TrimSpace(s)
	if len(value) > maxValueLen {
		return fields{}, fmt.Errorf("%w: value longer than %d bytes", ErrInvalid, maxValueLen)
	}
	m := matcher{items: items, s: value}
	m.p.twoDigitYear, m.p.month, m.p.day = -1, 1, 1
	if !m.match(0, 0) {
		return fields{}, fmt.Errorf("%w %q: does not match layout %q", ErrInvalid, s, layout)
	}
	return m.p.fields(s)
}

// match reports whether items[k:] match s[i:] exactly.
func (m *matcher) match(k, i int) bool {
	if k == len(m.items) {
		return i == len(m.s)
	}
	key := k*(len(m.s)+1) + i
	if m.failed != nil && m.failed[key] {
		return false
	}
	if m.try(k, i) {
		return true
	}
	if m.failed == nil {
		m.failed = make([]bool, (len(m.items)+1)*(len(m.s)+1))
	}
	m.failed[key] = true
	return false
}

// try attempts every way items[k] can match at s[i:], recursing for the rest.
func (m *matcher) try(k, i int) bool {
	it := m.items[k]
	switch it.kind {
	case itemLiteral:
		r, size := utf8.DecodeRuneInString(m.s[i:])
		if size == 0 || !(r == it.r || foldEqual(r, it.r)) {
			return false
		}
		return m.match(k+1, i+size)
	case itemSpace:
		j := i
		for j < len(m.s) {
			r, size := utf8.DecodeRuneInString(m.s[j:])
			if !unicode.IsSpace(r) {
				break
			}
			j += size
		}
		return j > i && m.match(k+1, j)
	}
	return m.directive(k, i, byte(it.r))
}

// foldEqual reports whether two runes are equal under simple case folding.
func foldEqual(a, b rune) bool {
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}
