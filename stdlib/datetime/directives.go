// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"strings"
	"time"
)

// numSpec is one way a numeric directive may match: exactly width digits
// with a value in [min, max]. Specs are tried in order, like the
// alternatives of Python's strptime regular expressions.
type numSpec struct{ width, min, max int }

// numSpecs returns the specs of a numeric directive, or nil.
func numSpecs(d byte) []numSpec {
	switch d {
	case 'Y':
		return []numSpec{{4, 0, 9999}}
	case 'y':
		return []numSpec{{2, 0, 99}}
	case 'm', 'I':
		return []numSpec{{2, 1, 12}, {1, 1, 9}}
	case 'd', 'e':
		return []numSpec{{2, 1, 31}, {1, 1, 9}}
	case 'j':
		return []numSpec{{3, 1, 366}, {2, 1, 99}, {1, 1, 9}}
	case 'H':
		return []numSpec{{2, 0, 23}, {1, 0, 9}}
	case 'M':
		return []numSpec{{2, 0, 59}, {1, 0, 9}}
	case 'S':
		return []numSpec{{2, 0, 61}, {1, 0, 9}}
	case 'f':
		return []numSpec{{6, 0, 999999}, {5, 0, 99999}, {4, 0, 9999}, {3, 0, 999}, {2, 0, 99}, {1, 0, 9}}
	case 'w':
		return []numSpec{{1, 0, 6}}
	case 'u':
		return []numSpec{{1, 1, 7}}
	}
	return nil
}

// directive tries every way directive d can match at s[i:].
func (m *matcher) directive(k, i int, d byte) bool {
	if specs := numSpecs(d); specs != nil {
		for _, sp := range specs {
			v, ok := digitsAt(m.s, i, sp.width)
			if ok && v >= sp.min && v <= sp.max {
				m.p.setNumber(d, v, sp.width)
				if m.match(k+1, i+sp.width) {
					return true
				}
			}
		}
		// Python's %d also matches a space-padded day (" 4").
		if (d == 'd' || d == 'e') && i < len(m.s) && m.s[i] == ' ' {
			if v, ok := digitsAt(m.s, i+1, 1); ok && v >= 1 {
				m.p.day = v
				return m.match(k+1, i+2)
			}
		}
		return false
	}
	switch d {
	case 'b', 'B', 'a', 'A':
		return m.name(k, i, d)
	case 'p':
		for _, ap := range [...]string{"am", "pm"} {
			if hasFoldPrefix(m.s[i:], ap) {
				m.p.hasPM, m.p.pm = true, ap == "pm"
				if m.match(k+1, i+2) {
					return true
				}
			}
		}
		return false
	case 'z':
		return m.numericZone(k, i)
	case 'Z':
		return m.zoneName(k, i)
	}
	return false
}

// setNumber records the value of a numeric directive.
func (p *parsed) setNumber(d byte, v, width int) {
	switch d {
	case 'Y':
		p.year, p.hasYear = v, true
	case 'y':
		p.twoDigitYear = v
	case 'm':
		p.month = v
	case 'd', 'e':
		p.day = v
	case 'j':
		p.yday = v
	case 'H':
		p.hour = v
	case 'I':
		p.hour12 = v
	case 'M':
		p.minute = v
	case 'S':
		p.second = v
	case 'f':
		p.usec = v * pow10(6-width)
	}
}

// name matches a month or weekday name or abbreviation.
func (m *matcher) name(k, i int, d byte) bool {
	var names []string
	if d == 'a' || d == 'A' {
		names = weekdayNames()[:]
	} else {
		names = monthNames()[:]
	}
	for n, full := range names {
		name := full
		if d == 'a' || d == 'b' {
			name = full[:3]
		}
		if !hasFoldPrefix(m.s[i:], name) {
			continue
		}
		if d == 'b' || d == 'B' {
			m.p.month = n + 1
		}
		if m.match(k+1, i+len(name)) {
			return true
		}
	}
	return false
}

// numericZone matches %z: "Z", or "+HH[:]MM", optionally followed by
// "[:]SS" and ".ffffff", with the colons used consistently. Seconds and the
// fraction of an offset are matched but only whole seconds are kept.
func (m *matcher) numericZone(k, i int) bool {
	rest := m.s[i:]
	if strings.HasPrefix(rest, "Z") {
		m.p.hasOffset, m.p.offset = true, 0
		return m.match(k+1, i+1)
	}
	if rest == "" || (rest[0] != '+' && rest[0] != '-') {
		return false
	}
	sign := 1
	if rest[0] == '-' {
		sign = -1
	}
	hh, ok := digitsAt(rest, 1, 2)
	if !ok {
		return false
	}
	j := 3
	colon := j < len(rest) && rest[j] == ':'
	if colon {
		j++
	}
	mm, ok := digitsAt(rest, j, 2)
	if !ok || mm > 59 {
		return false
	}
	j += 2
	// Longest first: with seconds (and fraction), then without.
	ends, secs := [8]int{}, [8]int{}
	n := 0
	sj := j
	if colon && sj < len(rest) && rest[sj] == ':' {
		sj++
	}
	if ss, ok := digitsAt(rest, sj, 2); ok && ss <= 59 && (sj > j || !colon) {
		e := sj + 2
		if e < len(rest) && rest[e] == '.' {
			for w := 6; w >= 1; w-- {
				if _, ok := digitsAt(rest, e+1, w); ok {
					ends[n], secs[n] = e+1+w, ss
					n++
				}
			}
		}
		ends[n], secs[n] = e, ss
		n++
	}
	ends[n], secs[n] = j, 0
	n++
	for c := range n {
		m.p.hasOffset = true
		m.p.offset = sign * (hh*3600 + mm*60 + secs[c])
		if m.match(k+1, i+ends[c]) {
			return true
		}
	}
	return false
}

// zoneName matches %Z: a zone abbreviation known to zoneOffset, longest
// first.
func (m *matcher) zoneName(k, i int) bool {
	j := i
	for j < len(m.s) && isLetter(m.s[j]) {
		j++
	}
	for ; j > i; j-- {
		if off, ok := zoneOffset(m.s[i:j]); ok {
			m.p.hasZoneName, m.p.zoneNameOffset = true, off
			if m.match(k+1, j) {
				return true
			}
		}
	}
	return false
}

// digitsAt reads exactly width ASCII digits at s[i:].
func digitsAt(s string, i, width int) (int, bool) {
	if i < 0 || i+width > len(s) {
		return 0, false
	}
	return fixedDigits(s[i : i+width])
}

// hasFoldPrefix reports whether s starts with the ASCII word prefix,
// ignoring case.
func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// fields turns what was matched into date and time fields, following
// Python's strptime: defaults 1900-01-01 00:00:00, %j overriding month and
// day, and the %I/%p rules. value is quoted in errors.
func (p *parsed) fields(value string) (fields, error) {
	f := fields{month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second, nsec: p.usec * 1000}
	switch {
	case p.hasYear:
		f.year = p.year
	case p.twoDigitYear >= 0:
		f.year = twoDigitYear(p.twoDigitYear)
	default:
		f.year = 1900
	}
	if p.hour12 != 0 {
		f.hour = p.hour12 % 12
		if p.hasPM && p.pm {
			f.hour += 12
		}
	}
	if p.yday != 0 {
		if f.year < 1 {
			return f, invalid(value, "no such date")
		}
		d := time.Date(f.year, 1, p.yday, 0, 0, 0, 0, time.UTC)
		f.year, f.month, f.day = d.Year(), int(d.Month()), d.Day()
	}
	switch {
	case p.hasOffset:
		f.offset = p.offset
	case p.hasZoneName:
		f.offset = p.zoneNameOffset
	}
	return f, nil
}
