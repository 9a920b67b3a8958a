// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"errors"
	"strings"
)

// wordState collects the parts found while parsing a value token by token.
type wordState struct {
	f                          fields
	year, month, day           bool
	clock, weekday, ampm, zone bool
	numericZone                bool
	pm                         bool
	nums                       [3]string // bare numbers, in order
	nnums                      int
}

// Errors of the word parser; Parse wraps them with the value.
var (
	errUnknownWord = errors.New("unrecognised word")
	errRepeated    = errors.New("a date or time part is given twice")
	errIncomplete  = errors.New("year, month and day are required")
	errNumbers     = errors.New("numbers cannot be read as a date")
)

// parseWords parses the forms with month names, weekdays, numeric dates with
// the year last, and zones written as separate tokens.
func parseWords(s string) (fields, error) {
	var st wordState
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == ','
	}) {
		if err := st.token(tok); err != nil {
			return st.f, err
		}
	}
	if err := st.resolveNumbers(); err != nil {
		return st.f, err
	}
	if !st.year || !st.month || !st.day {
		return st.f, errIncomplete
	}
	if st.ampm {
		if !st.clock || st.f.hour < 1 || st.f.hour > 12 {
			return st.f, errors.New("AM/PM needs an hour from 1 to 12")
		}
		if st.f.hour == 12 {
			st.f.hour = 0
		}
		if st.pm {
			st.f.hour += 12
		}
	}
	return st.f, nil
}

// token classifies one token and records what it holds.
func (st *wordState) token(tok string) error {
	switch {
	case isWeekday(tok):
		return st.set(&st.weekday)
	case monthNumber(tok) > 0:
		st.f.month = monthNumber(tok)
		return st.set(&st.month)
	case strings.EqualFold(tok, "am") || strings.EqualFold(tok, "pm"):
		st.pm = strings.EqualFold(tok, "pm")
		return st.set(&st.ampm)
	case strings.IndexByte(tok, ':') > 0 && isDigit(tok[0]):
		// Apache's common log format joins date and time: "04/Mar/2020:05:06:07".
		if c := strings.IndexByte(tok, ':'); strings.ContainsAny(tok[:c], "-/.") {
			if err := st.dateToken(tok[:c]); err != nil {
				return err
			}
			return st.clockToken(tok[c+1:])
		}
		return st.clockToken(tok)
	case tok[0] == '+' || tok[0] == '-' || tok[0] == '(':
		return st.zoneToken(tok)
	case strings.ContainsAny(tok, "-/."):
		return st.dateToken(tok)
	case isLetter(tok[0]):
		return st.zoneToken(tok)
	case allDigits(tok):
		if st.nnums == len(st.nums) {
			return errNumbers
		}
		st.nums[st.nnums] = tok
		st.nnums++
		return nil
	}
	return errUnknownWord
}

// set marks a part as found, failing when it was found before.
func (st *wordState) set(flag *bool) error {
	if *flag {
		return errRepeated
	}
	*flag = true
	return nil
}

// clockToken parses "H:MM[:SS[.f]]" with an optional attached "AM"/"PM" or
// zone ("05:06:07Z", "05:06:07+01:00", "5:06PM").
func (st *wordState) clockToken(tok string) error {
	if err := st.set(&st.clock); err != nil {
		return err
	}
	p := scanner{s: tok}
	if !p.clock(&st.f, false) {
		return errors.New("malformed time of day")
	}
	rest := tok[p.i:]
	switch {
	case rest == "":
		return nil
	case strings.EqualFold(rest, "am") || strings.EqualFold(rest, "pm"):
		st.pm = strings.EqualFold(rest, "pm")
		return st.set(&st.ampm)
	}
	return st.zoneToken(rest)
}

// zoneToken parses a zone: "Z", a name, a numeric offset, or a parenthesised
// name following a numeric offset ("(CET)"). A numeric offset takes
// precedence over a name given as well ("-0700 MST").
func (st *wordState) zoneToken(tok string) error {
	if tok[0] == '(' {
		if !st.numericZone || len(tok) < 3 || tok[len(tok)-1] != ')' {
			return errUnknownWord
		}
		if _, ok := zoneOffset(tok[1 : len(tok)-1]); !ok {
			return errUnknownWord
		}
		return nil
	}
	if tok[0] == '+' || tok[0] == '-' {
		p := scanner{s: tok}
		off, ok := p.numericOffset()
		if !ok || !p.done() {
			return errors.New("malformed zone offset")
		}
		if st.numericZone {
			return errRepeated
		}
		st.numericZone, st.zone = true, true
		st.f.offset = off
		return nil
	}
	off, ok := zoneOffset(tok)
	if !ok {
		return errUnknownWord
	}
	if st.zone && !st.numericZone {
		return errRepeated
	}
	if !st.numericZone {
		st.f.offset = off
	}
	st.zone = true
	return nil
}

// dateToken parses a date written as three parts joined by one separator:
// "2020-03-04", "2020-Mar-04", "04-Mar-2020", "Mar-04-2020", "03/04/2020"
// (month first unless the first number exceeds 12) and "04.03.2020" (day
// first).
func (st *wordState) dateToken(tok string) error {
	sep := tok[strings.IndexAny(tok, "-/.")]
	parts := strings.Split(tok, string(sep))
	if len(parts) != 3 || st.year || st.month || st.day {
		return errNumbers
	}
	a, b, c := parts[0], parts[1], parts[2]
	switch {
	case len(a) == 4 && allDigits(a):
		return st.setDate(a, b, c)
	case monthNumber(b) > 0:
		return st.setDate(c, b, a)
	case monthNumber(a) > 0:
		return st.setDate(c, a, b)
	case sep == '.':
		return st.setDate(c, b, a)
	case allDigits(a) && len(a) <= 2 && atoi(a) > 12:
		return st.setDate(c, b, a)
	}
	return st.setDate(c, a, b)
}

// setDate records a year, a month (number or name) and a day.
func (st *wordState) setDate(year, month, day string) error {
	m := monthNumber(month)
	if m == 0 && allDigits(month) && len(month) <= 2 {
		m = atoi(month)
	}
	if m == 0 || !allDigits(day) || len(day) > 2 || !allDigits(year) {
		return errNumbers
	}
	y, ok := yearValue(year)
	if !ok {
		return errNumbers
	}
	st.f.year, st.f.month, st.f.day = y, m, atoi(day)
	st.year, st.month, st.day = true, true, true
	return nil
}

// resolveNumbers assigns bare numbers once all tokens are seen: with a month
// name, a four-digit number is the year and one or two digits the day; a
// second short number is a two-digit year ("02 Jan 06").
func (st *wordState) resolveNumbers() error {
	if st.nnums == 0 {
		return nil
	}
	if !st.month || st.day {
		return errNumbers
	}
	for _, n := range st.nums[:st.nnums] {
		switch {
		case len(n) == 4 && !st.year:
			st.f.year, st.year = atoi(n), true
		case len(n) <= 2 && !st.day:
			st.f.day, st.day = atoi(n), true
		case len(n) == 2 && !st.year:
			st.f.year, st.year = twoDigitYear(atoi(n)), true
		default:
			return errNumbers
		}
	}
	return nil
}

// yearValue reads a four-digit or two-digit year.
func yearValue(s string) (int, bool) {
	switch len(s) {
	case 4:
		return atoi(s), true
	case 2:
		return twoDigitYear(atoi(s)), true
	}
	return 0, false
}

// twoDigitYear maps 69..99 to 1969..1999 and 0..68 to 2000..2068, as POSIX
// and Python's strptime do.
func twoDigitYear(y int) int {
	if y >= 69 {
		return 1900 + y
	}
	return 2000 + y
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi converts a short run of digits already checked by allDigits.
func atoi(s string) int {
	v, _ := fixedDigits(s)
	return v
}

// monthNumber returns 1..12 for an English month name or its three-letter
// abbreviation (also "Sept"), matched without regard to case, else 0.
func monthNumber(s string) int {
	for i, name := range monthNames() {
		if strings.EqualFold(s, name) || strings.EqualFold(s, name[:3]) {
			return i + 1
		}
	}
	if strings.EqualFold(s, "sept") {
		return 9
	}
	return 0
}

// isWeekday reports whether s is an English weekday name or abbreviation.
func isWeekday(s string) bool {
	return weekdayNumber(s) >= 0
}

// weekdayNumber returns 0 (Monday) .. 6 (Sunday) for an English weekday name
// or three-letter abbreviation, else -1.
func weekdayNumber(s string) int {
	for i, name := range weekdayNames() {
		if strings.EqualFold(s, name) || strings.EqualFold(s, name[:3]) {
			return i
		}
	}
	return -1
}

// monthNames returns the English month names.
func monthNames() *[12]string {
	return &[12]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
}

// weekdayNames returns the English weekday names, Monday first.
func weekdayNames() *[7]string {
	return &[7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
}
