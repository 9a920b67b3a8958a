// SPDX-License-Identifier: AGPL-3.0-or-later

// Package since reads the "not older than" parameters of the collectors
// (IntelMQ's parse_relative and its absolute dates): a relative time such
// as "2 days" or "1 hour", a Go duration such as "48h", or a date.
//
// It imports stdlib/datetime and the standard library.
package since

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/stdlib/datetime"
)

// Func returns the time something must not be older than, at the time now.
type Func func(now time.Time) time.Time

// timespans are the units of IntelMQ's relative times (TIMESPANS of
// parse_relative).
var timespans = map[string]time.Duration{
	"second": time.Second, "minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour,
	"week": 7 * 24 * time.Hour, "month": 30 * 24 * time.Hour, "year": 365 * 24 * time.Hour,
}

// relative matches IntelMQ's relative times: "2 days", "1 hour".
var relative = regexp.MustCompile(`^(\d+)\s+([a-z]+?)s?$`)

// Parse reads s as IntelMQ does: a relative time, else an absolute date;
// a positive Go duration is accepted too. Empty gives nil: no limit.
func Parse(s string) (Func, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if m := relative.FindStringSubmatch(strings.ToLower(s)); m != nil {
		unit, ok := timespans[m[2]]
		n, err := strconv.ParseInt(m[1], 10, 32)
		if ok && err == nil {
			d := time.Duration(n) * unit
			return func(now time.Time) time.Time { return now.Add(-d) }, nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return func(now time.Time) time.Time { return now.Add(-d) }, nil
	}
	if t, err := datetime.Parse(s); err == nil {
		return func(time.Time) time.Time { return t }, nil
	}
	return nil, fmt.Errorf("%q is neither a relative time (2 days), a duration (48h) nor a date (2024-01-31)", s)
}
