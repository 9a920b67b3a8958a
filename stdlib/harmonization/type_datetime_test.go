// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "testing"

func TestDateTime(t *testing.T) {
	runTypeCases(t, TypeDateTime, []typeCase{
		ok(S("2020-03-04T05:06:07+00:00"), true, S("2020-03-04T05:06:07+00:00")),
		ok(S("2020-03-04T05:06:07.5+00:00"), true, S("2020-03-04T05:06:07.5+00:00")), // kept as it is
		ok(S("2020-03-04T05:06:07.123456+00:00"), true, S("2020-03-04T05:06:07.123456+00:00")),
		ok(S("2020-03-04T05:06:07.000000+00:00"), true, S("2020-03-04T05:06:07.000000+00:00")),
		ok(S("0999-01-01T00:00:00+00:00"), true, S("0999-01-01T00:00:00+00:00")),
		ok(S("2020-03-04T05:06:07Z"), false, S("2020-03-04T05:06:07+00:00")),
		ok(S("2020-03-04 05:06:07"), false, S("2020-03-04T05:06:07+00:00")), // naive is UTC
		ok(S("2020-03-04T05:06:07+01:00"), false, S("2020-03-04T04:06:07+00:00")),
		ok(S("2020-03-04T05:06:07-05:30"), false, S("2020-03-04T10:36:07+00:00")),
		ok(S("2020-03-04T05:06:07.000001Z"), false, S("2020-03-04T05:06:07.000001+00:00")),
		ok(S("2020-03-04T05:06:07.1234567+00:00"), false, S("2020-03-04T05:06:07.123456+00:00")),
		ok(S("2020-03-04"), false, S("2020-03-04T00:00:00+00:00")),
		ok(S(" 2020-03-04T05:06:07+00:00"), false, S("2020-03-04T05:06:07+00:00")),
		ok(S("Wed, 04 Mar 2020 05:06:07 GMT"), false, S("2020-03-04T05:06:07+00:00")),
		ok(S("Wed, 04 Mar 2020 05:06:07 +0100"), false, S("2020-03-04T04:06:07+00:00")),
		bad(S("2020-02-30T00:00:00+00:00"), false),
		bad(S("2020-03-04T24:00:00+00:00"), false),
		bad(S("garbage"), false),
		bad(S("1580000000"), false), // epoch seconds are not accepted
		bad(Int(1580000000), false),
		bad(Float(1580000000.5), false),
		bad(S(""), false),
		bad(Value{}, false),
		// Deliberate differences: no fuzzy guessing from today's date.
		bad(S("5"), false),
		bad(S("foo 2020-03-04 bar"), false),
	})
}
