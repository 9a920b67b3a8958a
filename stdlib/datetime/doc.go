// SPDX-License-Identifier: AGPL-3.0-or-later

// Package datetime owns IntelMQ's date and time conventions: the canonical
// text form of a DateTime field (Format, IsCanonical), the flexible parse
// used when a DateTime value is sanitized (Parse), and the explicit
// conversions that IntelMQ parsers select with their time_format parameter
// (FromEpoch, FromEpochMillis, FromWindowsNT, FromLayout, FromLayoutMidnight
// and Convert, which accepts IntelMQ's names).
//
// Every function returns times in UTC. Naive input (no zone) is taken as UTC,
// as IntelMQ does; input with a zone is converted to UTC.
//
// Parse is deliberately stricter than the dateutil fuzzy parser IntelMQ uses:
// it accepts the ISO 8601, RFC and feed forms listed on Parse but never
// invents missing parts from the current date ('5' is not "day 5 of this
// month") and never skips unknown words.
//
// The package imports only the standard library. It must not import any
// other package of this project.
package datetime
