// SPDX-License-Identifier: AGPL-3.0-or-later

package pyformat

import (
	"strconv"
	"strings"
	"time"
)

var (
	shortDays   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longDays    = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	longMonths  = [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
)

// Strftime formats t as Python's datetime.strftime does on Linux (glibc, C
// locale) for a naive datetime: the C99 and POSIX conversions, Python's %f,
// and glibc's padding flags "-" (none), "_" (spaces), "0" (zeros) and "^"
// (upper case). %z and %Z give the empty string, an unknown conversion is
// copied unchanged, as glibc does.
func Strftime(t time.Time, layout string) string {
	var b strings.Builder
	for i := 0; i < len(layout); i++ {
		c := layout[i]
		if c != '%' || i+1 >= len(layout) {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		var flag byte
		if f := layout[j]; f == '-' || f == '_' || f == '0' || f == '^' {
			if j+1 < len(layout) {
				flag = f
				j++
			}
		}
		if !conversion(&b, t, layout[j], flag) {
			b.WriteString(layout[i : j+1])
		}
		i = j
	}
	return b.String()
}

// conversion writes one strftime conversion and reports whether verb was
// known.
func conversion(b *strings.Builder, t time.Time, verb, flag byte) bool {
	if s, ok := textConversion(t, verb); ok {
		if flag == '^' {
			s = strings.ToUpper(s)
		}
		b.WriteString(s)
		return true
	}
	n, width, pad, ok := numberConversion(t, verb)
	if !ok {
		return false
	}
	switch flag {
	case '-':
		width = 0
	case '_':
		pad = ' '
	case '0':
		pad = '0'
	}
	writePadded(b, n, width, pad)
	return true
}

// textConversion handles the conversions that produce names or compound
// forms.
func textConversion(t time.Time, verb byte) (string, bool) {
	switch verb {
	case 'a':
		return shortDays[t.Weekday()], true
	case 'A':
		return longDays[t.Weekday()], true
	case 'b', 'h':
		return shortMonths[t.Month()-1], true
	case 'B':
		return longMonths[t.Month()-1], true
	case 'p':
		if t.Hour() < 12 {
			return "AM", true
		}
		return "PM", true
	case 'P':
		if t.Hour() < 12 {
			return "am", true
		}
		return "pm", true
	case 'c':
		return Strftime(t, "%a %b %e %H:%M:%S %Y"), true
	case 'x', 'D':
		return Strftime(t, "%m/%d/%y"), true
	case 'X', 'T':
		return Strftime(t, "%H:%M:%S"), true
	case 'F':
		return Strftime(t, "%Y-%m-%d"), true
	case 'R':
		return Strftime(t, "%H:%M"), true
	case 'r':
		return Strftime(t, "%I:%M:%S %p"), true
	case 'f':
		return leftPad(strconv.Itoa(t.Nanosecond()/1000), 6, '0'), true
	case 'z', 'Z':
		return "", true
	case 's':
		return strconv.FormatInt(t.Unix(), 10), true
	case 'n':
		return "\n", true
	case 't':
		return "\t", true
	case '%':
		return "%", true
	}
	return "", false
}

// numberConversion handles the numeric conversions: the number, its
// default width and its default padding.
func numberConversion(t time.Time, verb byte) (n, width int, pad byte, ok bool) {
	isoYear, isoWeek := t.ISOWeek()
	switch verb {
	case 'd':
		return t.Day(), 2, '0', true
	case 'e':
		return t.Day(), 2, ' ', true
	case 'm':
		return int(t.Month()), 2, '0', true
	case 'y':
		return t.Year() % 100, 2, '0', true
	case 'Y':
		return t.Year(), 1, '0', true
	case 'C':
		return t.Year() / 100, 2, '0', true
	case 'G':
		return isoYear, 1, '0', true
	case 'g':
		return isoYear % 100, 2, '0', true
	case 'V':
		return isoWeek, 2, '0', true
	case 'H':
		return t.Hour(), 2, '0', true
	case 'k':
		return t.Hour(), 2, ' ', true
	case 'I':
		return hour12(t), 2, '0', true
	case 'l':
		return hour12(t), 2, ' ', true
	case 'M':
		return t.Minute(), 2, '0', true
	case 'S':
		return t.Second(), 2, '0', true
	case 'j':
		return t.YearDay(), 3, '0', true
	case 'w':
		return int(t.Weekday()), 1, '0', true
	case 'u':
		return (int(t.Weekday())+6)%7 + 1, 1, '0', true
	case 'U':
		return (t.YearDay() + 6 - int(t.Weekday())) / 7, 2, '0', true
	case 'W':
		return (t.YearDay() + 6 - (int(t.Weekday())+6)%7) / 7, 2, '0', true
	}
	return 0, 0, 0, false
}

func hour12(t time.Time) int {
	h := t.Hour() % 12
	if h == 0 {
		return 12
	}
	return h
}

func writePadded(b *strings.Builder, n, width int, pad byte) {
	s := strconv.Itoa(n)
	if n < 0 {
		b.WriteByte('-')
		s = s[1:]
		width--
	}
	b.WriteString(leftPad(s, width, pad))
}

func leftPad(s string, width int, pad byte) string {
	if len(s) >= width {
		return s
	}
	return strings.Repeat(string(pad), width-len(s)) + s
}
