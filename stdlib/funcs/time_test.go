// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import "testing"

func TestTimeFuncs(t *testing.T) {
	runCases(t, []exprCase{
		{src: `parseTime("04-03-2020", "%d-%m-%Y")`, want: "2020-03-04T00:00:00+00:00"},
		{src: `parseTime("04/Mar/2020:05:06:07 +0100", "%d/%b/%Y:%H:%M:%S %z")`, want: "2020-03-04T04:06:07+00:00"},
		{src: `parseTime("2020-03-04 05:06:07.25", "%Y-%m-%d %H:%M:%S.%f")`, want: "2020-03-04T05:06:07.250000+00:00"},
		{src: `parseTime("2020-03-04", "%d-%m-%Y")`, err: `argument 1: invalid date/time "2020-03-04": does not match layout`},
		{src: `parseTime("x", "%Q")`, err: "argument 2: invalid strptime layout"},
		{src: `parseTime(rec.num, "%Y")`, err: "argument 1: want a string, got a float"},
		{src: `parseTime("2020")`, err: "not enough arguments", compileErr: true},

		{src: `fromEpoch(1580000000)`, want: "2020-01-26T00:53:20+00:00"},
		{src: `fromEpoch(1580000000.5)`, want: "2020-01-26T00:53:20.500000+00:00"},
		{src: `fromEpoch("1580000000")`, want: "2020-01-26T00:53:20+00:00"},
		{src: `fromEpoch(rec.epoch)`, want: "2020-01-26T00:53:20+00:00"},
		{src: `fromEpoch("soon")`, err: `argument 1: invalid date/time: "soon" is not a number of epoch seconds`},
		{src: `fromEpoch(1e300)`, err: "out of range"},
		{src: `fromEpoch(rec.list)`, err: "want a number or a string, got a list"},
		{src: `fromEpoch(rec.missing)`, err: "invalid date/time"},
		{src: `fromEpoch(true)`, err: "cannot use bool", compileErr: true},

		{src: `fromEpochMillis(1580000000123)`, want: "2020-01-26T00:53:20+00:00"},
		{src: `fromEpochMillis("158000000012")`, want: "2020-01-26T00:53:20+00:00"},
		{src: `fromEpochMillis(rec.millis)`, want: "2020-01-26T00:53:20+00:00"},
		{src: `fromEpochMillis(1580000000)`, want: "2020-01-26T00:53:20+00:00"},
		{src: `fromEpochMillis(15800000001)`, err: "neither 10, 12 nor 13 digits"},
		{src: `fromEpochMillis("12.5")`, err: "is not an integer"},

		{src: `fromWindowsNT(132223104000000000)`, want: "2020-01-01T00:00:00+00:00"},
		{src: `fromWindowsNT("131905295000000000")`, want: "2018-12-29T03:58:20+00:00"},
		{src: `fromWindowsNT("x")`, err: "is not an integer"},

		{src: `utcTime("2020-03-04 05:06:07 CET")`, want: "2020-03-04T04:06:07+00:00"},
		{src: `utcTime("Wed, 04 Mar 2020 05:06:07 GMT")`, want: "2020-03-04T05:06:07+00:00"},
		{src: `utcTime(rec.str + "")`, err: `invalid date/time "text"`},
		{src: `utcTime(date("2020-03-04T05:06:07+02:00"))`, want: "2020-03-04T03:06:07+00:00"},
		{src: `utcTime("5")`, err: `argument 1: invalid date/time "5"`},
		{src: `utcTime(rec.missing)`, err: "empty value"},
		{src: `utcTime(n)`, err: "cannot use int", compileErr: true},

		{src: `timeFormat("timestamp", "1580000000")`, want: "2020-01-26T00:53:20+00:00"},
		{src: `timeFormat("timestamp", 1580000000)`, want: "2020-01-26T00:53:20+00:00"},
		{src: `timeFormat("epoch_millis", rec.millis)`, want: "2020-01-26T00:53:20+00:00"},
		{src: `timeFormat("windows_nt", "132223104000000000")`, want: "2020-01-01T00:00:00+00:00"},
		{src: `timeFormat("from_format|%d-%m-%Y", "04-03-2020")`, want: "2020-03-04T00:00:00+00:00"},
		{src: `timeFormat("from_format_midnight|%Y-%m-%d %H:%M", "2020-03-04 23:59")`, want: "2020-03-04T00:00:00+00:00"},
		{src: `timeFormat("utc_isoformat", "2020-03-04T05:06:07+00:00")`, want: "2020-03-04T05:06:07+00:00"},
		{src: `timeFormat("fuzzy", "2020-03-04 05:06")`, want: "2020-03-04T05:06:00+00:00"},
		{src: `timeFormat("iso", "2020-03-04")`, err: `argument 1: unknown time format "iso"`},
		{src: `timeFormat("from_format|%Q", "2020")`, err: "argument 1: invalid strptime layout"},
		{src: `timeFormat("utc_isoformat", "2020-03-04 05:06:07")`, err: "argument 2: invalid date/time"},
		{src: `timeFormat("timestamp", rec.obj)`, err: "argument 2: want a number or a string, got a map"},
	})
}
