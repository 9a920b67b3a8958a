// SPDX-License-Identifier: AGPL-3.0-or-later

// Package pyformat renders the Python format strings IntelMQ bots accept in
// their parameters: str.format templates such as the file output's
// "/var/lib/{event[feed.name]}/{event[time.source]:%Y-%m-%d}.json" and the
// HTTP collector's "https://example.com/{time[%Y-%m-%d]}.csv", with the
// format-spec mini-language for strings and numbers and C strftime for
// times.
//
// Times are formatted as Python formats naive datetime objects (IntelMQ
// turns time fields into naive UTC datetimes before formatting), so %z and
// %Z produce nothing.
//
// The package is shared by the bots only; it imports the standard library
// alone.
package pyformat
