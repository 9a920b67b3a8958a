// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "testing"

func TestIPAddress(t *testing.T) {
	runTypeCases(t, TypeIPAddress, []typeCase{
		ok(S("1.2.3.4"), true, S("1.2.3.4")),
		ok(S(" 1.2.3.4 "), false, S("1.2.3.4")),
		ok(S("1.2.3.4/32"), false, S("1.2.3.4")),
		ok(S("1.2.3.4/255.255.255.255"), false, S("1.2.3.4")),
		bad(S("1.2.3.4/24"), false), // host bits set
		bad(S("1.2.3.0/31"), false), // two addresses
		bad(S("01.2.3.4"), false),   // leading zero
		bad(S("1.2.3"), false),
		bad(S("256.1.1.1"), false),
		bad(S("１.2.3.4"), false),              // only ASCII digits
		ok(S("0.0.0.0"), false, S("0.0.0.0")), // sanitize keeps it, Validate rejects it
		ok(S("::"), true, S("::")),
		ok(S("::1"), true, S("::1")),
		ok(S("FE80::1"), true, S("fe80::1")), // valid need not be canonical
		ok(S("0:0:0:0:0:0:0:1"), true, S("::1")),
		ok(S("1:0:0:2:0:0:0:3"), true, S("1:0:0:2::3")),
		ok(S("1:0:0:2:0:0:3:4"), true, S("1::2:0:0:3:4")), // first of equal runs
		ok(S("1:0:2:0:3:0:4:0"), true, S("1:0:2:0:3:0:4:0")),
		ok(S("::ffff:1.2.3.4"), true, S("::ffff:102:304")), // Python 3.11's text
		ok(S("64:ff9b::1.2.3.4"), true, S("64:ff9b::102:304")),
		ok(S("::1:2:3:4:5:6:7"), true, S("0:1:2:3:4:5:6:7")),
		bad(S("1:2:3:4:5:6:7:8:9"), false),
		bad(S("1::2::3"), false),
		bad(S(":1::"), false),
		bad(S("1:2:3:4::5:6:7:8"), false),
		bad(S("12345::"), false),
		bad(S("1::1.2.3.04"), false),
		ok(S("fe80::1%eth0"), false, S("fe80::1")), // the scope is removed
		ok(S("fe80::1%"), false, S("fe80::1")),
		ok(S("1.2.3.4%x"), false, S("1.2.3.4")),
		bad(S("%eth0"), false),
		ok(S("16909060"), false, S("1.2.3.4")), // digits are the address number
		ok(S("0"), false, S("0.0.0.0")),
		bad(S("00"), false),
		bad(S("-1"), false),
		ok(S("4294967296"), false, S("::1:0:0")),
		ok(S("340282366920938463463374607431768211455"), false, S("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")),
		bad(S("340282366920938463463374607431768211456"), false),
		ok(Int(16909060), false, S("1.2.3.4")),
		ok(Int(4294967296), false, S("::1:0:0")),
		ok(Int(0), false, S("0.0.0.0")),
		bad(Int(-1), false),
		ok(Bool(true), false, S("0.0.0.1")), // Python's bool is an int
		ok(Bool(false), false, S("0.0.0.0")),
		bad(Float(16909060), false),
		bad(S(""), false),
		bad(Value{}, false),
	})
}

func TestIPNetwork(t *testing.T) {
	runTypeCases(t, TypeIPNetwork, []typeCase{
		ok(S("10.0.0.0/8"), true, S("10.0.0.0/8")),
		ok(S("10.0.0.1/8"), false, S("10.0.0.0/8")), // strict for Validate, not for Sanitize
		ok(S("10.0.0.1"), true, S("10.0.0.1/32")),
		ok(S("10.0.0.0/255.0.0.0"), true, S("10.0.0.0/8")),
		ok(S("10.0.0.0/0.255.255.255"), true, S("10.0.0.0/8")), // hostmask
		bad(S("10.0.0.0/255.0.255.0"), false),
		ok(S("1.2.3.4/032"), true, S("1.2.3.4/32")),
		ok(S("1.2.3.4/0.0.0.0"), false, S("0.0.0.0/0")), // all zeros is a netmask
		bad(S("1.2.3.4/33"), false),
		bad(S("1.2.3.4/+8"), false),
		bad(S("1.2.3.4/"), false),
		bad(S("1.2.3.4//8"), false),
		bad(S("10/8"), false),
		ok(S("::/0"), true, S("::/0")),
		ok(S("2001:DB8::1/32"), false, S("2001:db8::/32")),
		ok(S("::ffff:1.2.3.4/96"), false, S("::ffff:0:0/96")),
		ok(S("fe80::%eth0/64"), true, S("fe80::%eth0/64")), // Python keeps the scope
		ok(S("fe80::1%eth0/64"), false, S("fe80::/64")),    // unless host bits are cleared
		ok(S("fe80::1%eth0"), true, S("fe80::1%eth0/128")),
		bad(S("::1/129"), false),
		bad(S("::1/ 64"), false),
		ok(S(" 10.0.0.0/8 "), false, S("10.0.0.0/8")),
		bad(Int(5), false),
		bad(S(""), false),
		bad(Value{}, false),
	})
}
