// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The range of instants a canonical DateTime can hold, in Unix seconds.
const (
	minUnix = -62135596800 // 0001-01-01T00:00:00Z
	maxUnix = 253402300799 // 9999-12-31T23:59:59Z
)

// ntEpochUnix is 1601-01-01T00:00:00Z, the Windows NT epoch, in Unix seconds.
const ntEpochUnix = -11644473600

// FromEpoch returns the instant sec seconds after 1970-01-01T00:00:00Z
// (IntelMQ's "timestamp" conversion). The fraction is rounded to the nearest
// microsecond, ties to even, as Python's datetime.fromtimestamp does. NaN,
// infinities and instants outside years 1..9999 are errors wrapping
// ErrInvalid.
func FromEpoch(sec float64) (time.Time, error) {
	if math.IsNaN(sec) || sec < minUnix || sec >= maxUnix+1 {
		return time.Time{}, fmt.Errorf("%w: epoch seconds %v out of range", ErrInvalid, sec)
	}
	whole, frac := math.Modf(sec)
	us := math.RoundToEven(frac * 1e6)
	return fromUnixMicro(int64(whole), int64(us))
}

// fromUnixMicro returns the UTC instant sec seconds plus us microseconds
// after the Unix epoch, checking the year range.
func fromUnixMicro(sec, us int64) (time.Time, error) {
	t := time.Unix(sec, us*1000).UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, fmt.Errorf("%w: %d seconds since 1970 is outside years 1..9999", ErrInvalid, sec)
	}
	return t, nil
}

// FromEpochMillis converts IntelMQ's "epoch_millis" numbers, choosing the
// unit by the number of characters n has in decimal: 13 are milliseconds and
// 12 are centiseconds (the sub-second part is dropped, rounding down), 10 are
// seconds. Any other length is an error wrapping ErrInvalid (IntelMQ returns
// nothing for them).
func FromEpochMillis(n int64) (time.Time, error) {
	return epochMillis(n, len(strconv.FormatInt(n, 10)))
}

// epochMillis converts n, written with length characters, as
// FromEpochMillis describes; Convert passes the length of the text as
// given, as IntelMQ does ("0158000000012" counts as 13 characters).
func epochMillis(n int64, length int) (time.Time, error) {
	switch length {
	case 10:
		return fromUnixMicro(n, 0)
	case 12:
		return fromUnixMicro(floorDiv(n, 100), 0)
	case 13:
		return fromUnixMicro(floorDiv(n, 1000), 0)
	}
	return time.Time{}, fmt.Errorf("%w: epoch_millis value %d has neither 10, 12 nor 13 digits", ErrInvalid, n)
}

// floorDiv divides rounding towards negative infinity, like Python's //.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// FromWindowsNT converts a Windows NT / LDAP / Active Directory time, ticks
// of 100 nanoseconds since 1601-01-01T00:00:00Z, rounding to the nearest
// microsecond (ties to even). Instants outside years 1..9999 are errors
// wrapping ErrInvalid.
func FromWindowsNT(ticks int64) (time.Time, error) {
	us, rem := ticks/10, ticks%10
	if rem < 0 {
		us, rem = us-1, rem+10
	}
	if rem > 5 || (rem == 5 && us%2 != 0) {
		us++
	}
	sec, us := floorDiv(us, 1e6), us-floorDiv(us, 1e6)*1e6
	return fromUnixMicro(sec+ntEpochUnix, us)
}

// Convert applies one of IntelMQ's time_format conversions to value and
// returns the canonical DateTime text. The names are IntelMQ's:
//
//   - "timestamp": epoch seconds, a decimal or float number (FromEpoch).
//   - "epoch_millis": an integer of 10, 12 or 13 digits (FromEpochMillis).
//   - "windows_nt": 100-nanosecond ticks since 1601 (FromWindowsNT).
//   - "from_format|<layout>": a Python strptime layout (FromLayout).
//   - "from_format_midnight|<layout>": the date read with the layout, at
//     midnight UTC (FromLayoutMidnight).
//   - "utc_isoformat": the value must already be canonical; it is returned
//     unchanged.
//   - "fuzzy" or "": Parse.
//
// Numbers may be surrounded by white space. An unknown name is an error, and
// so is a value the conversion rejects (wrapping ErrInvalid).
func Convert(format, value string) (string, error) {
	t, err := convert(format, value)
	if err != nil {
		return "", err
	}
	if format == "utc_isoformat" {
		return value, nil // canonical already; IntelMQ keeps it as written
	}
	return Format(t), nil
}

// convert implements Convert up to formatting.
func convert(format, value string) (time.Time, error) {
	if format == "from_format|" || format == "from_format_midnight|" {
		return time.Time{}, fmt.Errorf("%w: time format %q needs a layout after \"|\"", ErrLayout, format)
	}
	if layout, ok := strings.CutPrefix(format, "from_format|"); ok {
		return FromLayout(layout, value)
	}
	if layout, ok := strings.CutPrefix(format, "from_format_midnight|"); ok {
		return FromLayoutMidnight(layout, value)
	}
	switch format {
	case "timestamp":
		v := strings.TrimSpace(value)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || strings.ContainsAny(v, "xX_") {
			return time.Time{}, fmt.Errorf("%w: %q is not a number of epoch seconds", ErrInvalid, value)
		}
		return FromEpoch(f)
	case "epoch_millis", "windows_nt":
		v := strings.TrimSpace(value)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("%w: %q is not an integer", ErrInvalid, value)
		}
		if format == "windows_nt" {
			return FromWindowsNT(n)
		}
		return epochMillis(n, len(v))
	case "utc_isoformat":
		t, ok := parseCanonical(value)
		if !ok {
			return time.Time{}, fmt.Errorf("%w: %q is not in canonical UTC ISO format", ErrInvalid, value)
		}
		return t, nil
	case "fuzzy", "":
		return Parse(value)
	}
	return time.Time{}, fmt.Errorf("unknown time format %q: want timestamp, epoch_millis, windows_nt, "+
		"from_format|<layout>, from_format_midnight|<layout>, utc_isoformat or fuzzy", format)
}

// ValidFormat reports whether format is a time_format name Convert accepts,
// checking the layout of "from_format|" and "from_format_midnight|" too, so
// that configurations can be checked before any value is converted.
func ValidFormat(format string) error {
	if format == "from_format|" || format == "from_format_midnight|" {
		_, err := convert(format, "")
		return err
	}
	if layout, ok := strings.CutPrefix(format, "from_format|"); ok {
		return CheckLayout(layout)
	}
	if layout, ok := strings.CutPrefix(format, "from_format_midnight|"); ok {
		return CheckLayout(layout)
	}
	switch format {
	case "timestamp", "epoch_millis", "windows_nt", "utc_isoformat", "fuzzy", "":
		return nil
	}
	_, err := convert(format, "")
	return err
}
