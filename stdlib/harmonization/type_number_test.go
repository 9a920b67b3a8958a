// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"math"
	"testing"
)

func TestInteger(t *testing.T) {
	runTypeCases(t, TypeInteger, []typeCase{
		ok(Int(12), true, Int(12)),
		ok(Int(0), true, Int(0)),
		ok(S("12"), false, Int(12)),
		ok(S(" +12 "), false, Int(12)),
		ok(S("-12"), false, Int(-12)),
		ok(S("007"), false, Int(7)),
		ok(S("1_000"), false, Int(1000)),
		ok(S("١٢"), false, Int(12)), // Unicode decimal digits, as Python's int()
		ok(S("5\u00a0"), false, Int(5)),
		bad(S("12.5"), false),
		bad(S("12.0"), false),
		bad(S("1e3"), false),
		bad(S("0x10"), false),
		bad(S("1__0"), false),
		bad(S("_1"), false),
		bad(S("- 5"), false),
		bad(S("\x1c5"), false),               // 0x1c is white space for strip() but not for int()
		bad(S("9223372036854775808"), false), // beyond 64 bits (Python has no limit)
		bad(S(""), false),
		ok(Float(12.7), false, Int(12)), // truncation
		ok(Float(-12.7), false, Int(-12)),
		bad(Float(math.NaN()), false),
		bad(Float(math.Inf(1)), false),
		bad(Float(1e19), false),
		ok(Bool(true), false, Int(1)), // a bool is not valid, but int(True) is 1
		ok(Bool(false), false, Int(0)),
		bad(Value{}, false),
		bad(RawJSON(`[1]`), false),
	})
}

func TestASN(t *testing.T) {
	runTypeCases(t, TypeASN, []typeCase{
		ok(Int(1), true, Int(1)),
		ok(Int(4294967295), true, Int(4294967295)),
		bad(Int(4294967296), false),
		bad(Int(0), false),
		bad(Int(-5), false),
		ok(S("AS1"), false, Int(1)),
		ok(S("as 64496"), false, Int(64496)),
		ok(S("aS12"), false, Int(12)),
		ok(S("64496"), false, Int(64496)),
		bad(S("As-5"), false),
		bad(S("AS0"), false),
		bad(S("AS4294967296"), false),
		bad(S("ASAS12"), false),
		bad(S(" AS12"), false), // the prefix is only removed at the very start
		bad(S("AS"), false),
		ok(Float(1.9), false, Int(1)),
		bad(Float(0.5), false),
		ok(Bool(true), false, Int(1)),
		bad(Bool(false), false),
		bad(S("12.5"), false),
	})
}

func TestFloat(t *testing.T) {
	runTypeCases(t, TypeFloat, []typeCase{
		ok(Float(1.5), true, Float(1.5)),
		ok(Int(3), true, Float(3)),
		ok(S("1e3"), false, Float(1000)),
		ok(S(" 1_000.5 "), false, Float(1000.5)),
		ok(S(".5"), false, Float(0.5)),
		ok(S("5."), false, Float(5)),
		ok(S("+1.5E+2"), false, Float(150)),
		ok(S("1e-400"), false, Float(0)),
		ok(S("١.٥"), false, Float(1.5)),
		bad(S("."), false),
		bad(S("1._5"), false),
		bad(S("1,5"), false),
		bad(S("0x1p3"), false),
		bad(S("abc"), false),
		ok(Bool(true), false, Float(1)), // bool is not valid but float(True) is 1.0
		bad(Value{}, false),
		bad(RawJSON(`{"a": 1}`), false),
		// Deliberate difference: IntelMQ accepts NaN and infinities.
		bad(S("nan"), false),
		bad(S("-inf"), false),
		bad(S("1e400"), false),
		bad(Float(math.NaN()), false),
		bad(Float(math.Inf(-1)), false),
	})
}

func TestAccuracy(t *testing.T) {
	runTypeCases(t, TypeAccuracy, []typeCase{
		ok(Float(50.5), true, Float(50.5)),
		ok(Int(100), true, Float(100)),
		ok(Float(0), true, Float(0)),
		bad(Int(101), false),
		bad(Int(-1), false),
		ok(Bool(true), true, Float(100)), // IntelMQ takes a bool as valid
		ok(Bool(false), true, Float(0)),
		ok(S("75.5"), false, Float(75.5)),
		ok(S("-0"), false, Float(math.Copysign(0, -1))),
		bad(S("100.5"), false),
		bad(S("nan"), false),
		bad(S("inf"), false),
		bad(S("x"), false),
		bad(Value{}, false),
	})
}

func TestBoolean(t *testing.T) {
	runTypeCases(t, TypeBoolean, []typeCase{
		ok(Bool(true), true, Bool(true)),
		ok(Bool(false), true, Bool(false)),
		ok(S("true"), false, Bool(true)),
		ok(S(" FALSE "), false, Bool(false)),
		ok(S("tRuE\u00a0"), false, Bool(true)),
		ok(Int(1), false, Bool(true)),
		ok(Int(0), false, Bool(false)),
		bad(Int(2), false),
		bad(S("1"), false),
		bad(S("yes"), false),
		bad(S("falſe"), false), // Python lower() keeps the long s
		bad(Float(1), false),
		bad(Value{}, false),
	})
}

func TestPyParseNumbers(t *testing.T) {
	ints := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"-0", 0, true}, {"\u3000 42 \t", 42, true}, {"１２", 12, true},
		{"𝟗", 9, true}, {"9223372036854775807", math.MaxInt64, true}, {"-9223372036854775808", math.MinInt64, true},
		{"", 0, false}, {"+", 0, false}, {"1 2", 0, false}, {"½", 0, false}, {"1_", 0, false},
	}
	for _, tt := range ints {
		got, err := pyParseInt(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("pyParseInt(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	floats := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1e1_0", 1e10, true}, {"-Infinity", math.Inf(-1), true}, {"iNf", math.Inf(1), true},
		{"1_e5", 0, false}, {"in_f", 0, false}, {"e5", 0, false}, {"1e", 0, false}, {"--1", 0, false},
	}
	for _, tt := range floats {
		got, err := pyParseFloat(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("pyParseFloat(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
