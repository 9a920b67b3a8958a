// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "testing"

// commonValues are canonical values of the most used types, and raw feed
// values their Sanitize has to normalise.
var commonValues = []struct {
	typ       string
	canonical Value
	raw       Value
}{
	{TypeString, S("Example feed"), S(" Example feed ")},
	{TypeIPAddress, S("192.0.2.1"), S(" 192.0.2.1/32")},
	{TypeIPAddress + "6", S("2001:db8::1"), S("2001:DB8:0:0::1")},
	{TypeDateTime, S("2020-03-04T05:06:07+00:00"), S("2020-03-04 05:06:07+01:00")},
	{TypeURL, S("http://example.com/path?q=1"), S("hxxp://example.com/path?q=1")},
	{TypeFQDN, S("www.example.com"), S("WWW.Example.COM.")},
	{TypeLowercaseString, S("abuse@example.com"), S("Abuse@Example.com")},
	{TypeInteger, Int(443), S("443")},
	{TypeClassificationType, S("infected-system"), S("Botnet Drone")},
}

func typeOf(tb testing.TB, name string) Type {
	if name == TypeIPAddress+"6" {
		name = TypeIPAddress
	}
	typ, ok := TypeByName(name)
	if !ok {
		tb.Fatalf("no type %q", name)
	}
	return typ
}

// TestValidateDoesNotAllocate checks that validating canonical values of the
// common types allocates nothing.
func TestValidateDoesNotAllocate(t *testing.T) {
	for _, c := range commonValues {
		typ := typeOf(t, c.typ)
		if !typ.Validate(c.canonical) {
			t.Fatalf("%s: %s is not valid", c.typ, PyRepr(c.canonical))
		}
		if n := testing.AllocsPerRun(100, func() { typ.Validate(c.canonical) }); n != 0 {
			t.Errorf("%s.Validate(%s) allocates %v times", c.typ, PyRepr(c.canonical), n)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	for _, c := range commonValues {
		typ := typeOf(b, c.typ)
		b.Run(c.typ, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				typ.Validate(c.canonical)
			}
		})
	}
}

func BenchmarkSanitizeCanonical(b *testing.B) {
	for _, c := range commonValues {
		typ := typeOf(b, c.typ)
		b.Run(c.typ, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := typ.Sanitize(c.canonical); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSanitizeRaw(b *testing.B) {
	for _, c := range commonValues {
		typ := typeOf(b, c.typ)
		b.Run(c.typ, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := typ.Sanitize(c.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFieldValidate(b *testing.B) {
	f, err := Default().Field(Event, "protocol.transport")
	if err != nil {
		b.Fatal(err)
	}
	v := S("tcp")
	b.ReportAllocs()
	for b.Loop() {
		if err := f.Validate(v); err != nil {
			b.Fatal(err)
		}
	}
}
