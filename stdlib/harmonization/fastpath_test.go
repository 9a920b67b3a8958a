// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestEncodeBase64(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 4))
	for n := 0; n < 700; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		want := base64.StdEncoding.EncodeToString(b)
		if got := EncodeBase64(b); got != want {
			t.Fatalf("EncodeBase64(%d bytes) = %q, want %q", n, got, want)
		}
		if got := EncodeBase64(string(b)); got != want {
			t.Fatalf("EncodeBase64(%d byte string) = %q, want %q", n, got, want)
		}
		if !isPaddedBase64(want) && n > 0 {
			t.Fatalf("isPaddedBase64(%q) = false", want)
		}
	}
}

// TestPaddedBase64AgreesWithDecoder checks that the fast check never
// accepts what the lenient decoder rejects.
func TestPaddedBase64AgreesWithDecoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := "AZaz09+/=== !\n-_\x80"
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for n := rng.IntN(13); n > 0; n-- {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		_, err := decodeBase64(s, false)
		if isPaddedBase64(s) && err != nil {
			t.Errorf("isPaddedBase64(%q) but the decoder fails: %v", s, err)
		}
		if got, want := (base64Type{}).Validate(String(s)), s != "" && err == nil; got != want {
			t.Errorf("Validate(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestIPSanitizeKeepsCanonical checks that canonical addresses come back
// as the very same string and others are rewritten.
func TestIPSanitizeKeepsCanonical(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"192.0.2.10", "192.0.2.10"},
		{" 192.0.2.10 ", "192.0.2.10"},
		{"192.0.2.10/32", "192.0.2.10"},
		{"2001:db8::1", "2001:db8::1"},
		{"2001:DB8::1", "2001:db8::1"},
		{"2001:db8:0:0:0:0:0:1", "2001:db8::1"},
		{"fe80::1%eth0", "fe80::1"},
		{"::ffff:1.2.3.4", "::ffff:102:304"},
	} {
		got, err := (ipAddressType{}).Sanitize(String(tc.in))
		if err != nil || got.Str() != tc.want {
			t.Errorf("Sanitize(%q) = %q, %v; want %q", tc.in, got.Str(), err, tc.want)
		}
	}
	in := String("198.51.100.7")
	if allocs := testing.AllocsPerRun(100, func() { _, _ = (ipAddressType{}).Sanitize(in) }); allocs != 0 {
		t.Errorf("Sanitize of a canonical address: %v allocations, want 0", allocs)
	}
}

// refParseIPv4 is the straightforward form of parseIPv4: four dot-separated
// octets of one to three digits without leading zeros, each at most 255.
func refParseIPv4(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, false
	}
	var ip uint32
	for _, p := range parts {
		if p == "" || len(p) > 3 || (len(p) > 1 && p[0] == '0') {
			return 0, false
		}
		v := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return 0, false
			}
			v = v*10 + int(p[i]-'0')
		}
		if v > 255 {
			return 0, false
		}
		ip = ip<<8 | uint32(v)
	}
	return ip, true
}

func TestParseIPv4AgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 12))
	parts := []string{"0", "1", "9", "10", "01", "00", "255", "256", "199", "1000", ".", ".", ".", "", "a", " ", "\xc2"}
	inputs := []string{"1.2.3.4", "0.0.0.0", "255.255.255.255", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "01.2.3.4"}
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for n := rng.IntN(9); n > 0; n-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		got, ok := parseIPv4(s)
		want, wantOK := refParseIPv4(s)
		if ok != wantOK || got != want {
			t.Fatalf("parseIPv4(%q) = %v, %v; want %v, %v", s, got, ok, want, wantOK)
		}
	}
}

// TestLookupFieldFindsEveryKey checks the field table against the schema's
// fields: every key is found, and truncations and extensions of keys are
// found only when they are keys themselves.
func TestLookupFieldFindsEveryKey(t *testing.T) {
	s := Default()
	for _, mt := range []MessageType{Event, Report} {
		for _, f := range s.Fields(mt) {
			got, err := s.LookupField(mt, f.Key)
			if err != nil || got != f {
				t.Fatalf("%v %q: %v, %v", mt, f.Key, got, err)
			}
			for _, k := range []string{f.Key[:len(f.Key)-1], f.Key + "x", "x" + f.Key[1:], strings.ToUpper(f.Key)} {
				got, err := s.LookupField(mt, k)
				if want, ok := s.fields[mt][k]; ok != (err == nil) || (ok && got != want) {
					t.Errorf("%v %q: %v, %v", mt, k, got, err)
				}
			}
		}
	}
	var empty Schema
	if _, err := empty.LookupField(Event, "source.ip"); err == nil {
		t.Error("an empty schema has source.ip")
	}
}

// TestSanitizeValidateAgreesWithSteps checks the combined step against
// Sanitize followed by Validate, for every field of the default schema.
func TestSanitizeValidateAgreesWithSteps(t *testing.T) {
	var values []Value
	for _, s := range []string{"", " ", "x", " 192.0.2.1 ", "0.0.0.0", "0", "16909060", "-1", "::", "::1", "1.2.3.4/32",
		"1.2.3.0/24", "fe80::1%eth0", "FE80::A", "2020-03-04T05:06:07+00:00", " 2020-03-04T05:06:07+00:00",
		"2020-03-04 05:06:07 UTC", "2020-03-04T05:06:07.5+00:00", "2020-02-30", "hxxp://example.com/", "http://x",
		"file:///etc/passwd", "file:", "//host", "example.com/x", "mailto:a@b", " http://a b ", "DE", "de", "TCP", "udp",
		"Example.COM.", "c&c", "tlp:amber", "ripencc", "AS64496", "12.5", "true", "abc", "aGVsbG8=", "{\"a\": 1}"} {
		values = append(values, String(s))
	}
	values = append(values, Int(0), Int(1), Int(16909060), Int(-5), Float(0), Float(12.5), Bool(true), Bool(false),
		RawJSON(`{"a": 1}`), Value{})
	for _, mt := range []MessageType{Event, Report} {
		for _, f := range Default().Fields(mt) {
			for _, v := range values {
				want, wantErr := f.Sanitize(v)
				if wantErr == nil {
					wantErr = f.Validate(want)
				}
				got, err := f.SanitizeValidate(v)
				if !got.Equal(want) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Errorf("%s %v: SanitizeValidate = %v, %v; want %v, %v", f.Key, PyRepr(v), got, err, want, wantErr)
				}
			}
		}
	}
}

func TestIsJSONDict(t *testing.T) {
	s := Default()
	dict, _ := TypeByName(TypeJSONDict)
	for _, tc := range []struct {
		key  string
		want bool
	}{{"extra", true}, {"extra.a", false}, {"source.ip", false}, {"output", false}} {
		for _, lookup := range []func(MessageType, string) (*Field, error){s.Field, s.LookupField} {
			if f, err := lookup(Event, tc.key); err != nil || f.IsJSONDict() != tc.want {
				t.Errorf("%q: IsJSONDict = %v, %v; want %v", tc.key, f.IsJSONDict(), err, tc.want)
			}
		}
	}
	if !(&Field{Key: "x", Type: dict}).IsJSONDict() || (&Field{Key: "x.y", Type: dict, SubItem: true}).IsJSONDict() {
		t.Error("IsJSONDict of fields built by hand")
	}
}

func TestArena(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var a Arena
	type pair struct{ got, want string }
	var all []pair
	for i := 0; i < 6000; i++ {
		n := rng.IntN(200)
		if i%100 == 0 {
			n = arenaBlock // longer than a block allows
		}
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		var got, want string
		switch i % 3 {
		case 0:
			want, got = base64.StdEncoding.EncodeToString(b), a.Base64(string(b))
		case 1:
			want, got = string(b), a.Bytes(b)
		default:
			k := rng.IntN(n + 1)
			want, got = string(b), a.Concat(string(b[:k]), string(b[k:]))
		}
		if got != want {
			t.Fatalf("value %d (%d bytes) = %q, want %q", i, n, got, want)
		}
		all = append(all, pair{got, want})
	}
	// Later values never change the earlier ones.
	for i, p := range all {
		if p.got != p.want {
			t.Fatalf("value %d changed to %q", i, p.got)
		}
	}
}
