// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

// zoneOffset returns the UTC offset in seconds of a time zone abbreviation,
// matched without regard to case. The table is deliberately small: the zones
// of RFC 822 and the unambiguous abbreviations feeds commonly use. Ambiguous
// names (IST, BST, ...) are not known and make parsing fail instead of
// silently picking one meaning.
func zoneOffset(name string) (int, bool) {
	var buf [5]byte
	if len(name) == 0 || len(name) > len(buf) {
		return 0, false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	const h = 3600
	switch string(buf[:len(name)]) {
	case "Z", "UT", "UTC", "GMT", "WET":
		return 0, true
	case "WEST", "CET", "MET":
		return 1 * h, true
	case "CEST", "MEST", "EET":
		return 2 * h, true
	case "EEST", "MSK":
		return 3 * h, true
	case "HKT", "SGT", "AWST":
		return 8 * h, true
	case "JST", "KST":
		return 9 * h, true
	case "AEST":
		return 10 * h, true
	case "AEDT":
		return 11 * h, true
	case "NZST":
		return 12 * h, true
	case "NZDT":
		return 13 * h, true
	case "EST", "CDT":
		return -5 * h, true
	case "EDT":
		return -4 * h, true
	case "CST", "MDT":
		return -6 * h, true
	case "MST", "PDT":
		return -7 * h, true
	case "PST", "AKDT":
		return -8 * h, true
	case "AKST":
		return -9 * h, true
	case "HST":
		return -10 * h, true
	}
	return 0, false
}
