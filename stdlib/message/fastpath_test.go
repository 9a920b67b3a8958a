// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// TestScanRunAgreesWithByteLoop checks the word-at-a-time scanners against
// a byte loop on strings of every short length and all start positions.
func TestScanRunAgreesWithByteLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 8))
	alphabet := []byte{'a', 'Z', ' ', '~', '"', '\\', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff, '!', 0x21, 0x5b, 0x5d}
	naive := func(s string, i int, ascii bool) int {
		for ; i < len(s); i++ {
			c := s[i]
			if c < 0x20 || c == '"' || c == '\\' || (ascii && c >= 0x7f) {
				return i
			}
		}
		return len(s)
	}
	for n := 0; n < 40; n++ {
		for trial := 0; trial < 300; trial++ {
			b := make([]byte, n)
			for k := range b {
				if rng.IntN(4) == 0 {
					b[k] = alphabet[rng.IntN(len(alphabet))]
				} else {
					b[k] = byte('a' + rng.IntN(26))
				}
			}
			s := string(b)
			for i := 0; i <= n; i++ {
				if got, want := stringRun(s, i), naive(s, i, false); got != want {
					t.Fatalf("stringRun(%q, %d) = %d, want %d", s, i, got, want)
				}
				if got, want := asciiRun(s, i), naive(s, i, true); got != want {
					t.Fatalf("asciiRun(%q, %d) = %d, want %d", s, i, got, want)
				}
			}
		}
	}
}

// TestNumberValueAgreesWithStrconv checks the short-decimal fast path of
// numberValue against strconv.
func TestNumberValueAgreesWithStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2))
	texts := []string{"0", "-0", "0.0", "-0.0", "100.0", "1.5", "-12", "999999999999999", "9999999999999999",
		"123456789012345.6", "0.000000000000001", "1234567.890123456", "9007199254740993", "0.1", "-0.3"}
	for i := 0; i < 20000; i++ {
		var b []byte
		if rng.IntN(2) == 0 {
			b = append(b, '-')
		}
		n := 1 + rng.IntN(17)
		dot := -1
		if rng.IntN(2) == 0 {
			dot = rng.IntN(n)
		}
		for k := 0; k < n; k++ {
			b = append(b, byte('0'+rng.IntN(10)))
			if k == dot {
				b = append(b, '.', byte('0'+rng.IntN(10)))
			}
		}
		texts = append(texts, string(b))
	}
	for _, text := range texts {
		end, isInt, err := numberEnd(text, 0)
		if err != nil || end != len(text) {
			continue // not a JSON number (a leading zero)
		}
		got := numberValue(text, isInt)
		var want harmonization.Value
		if n, err := strconv.ParseInt(text, 10, 64); isInt && err == nil {
			want = harmonization.Int(n)
		} else if isInt {
			want = harmonization.RawJSON(text)
		} else {
			f, _ := strconv.ParseFloat(text, 64)
			want = harmonization.Float(f)
		}
		if !got.Equal(want) || math.Signbit(got.Float()) != math.Signbit(want.Float()) {
			t.Errorf("numberValue(%q) = %v (%v), want %v (%v)", text, got, got.Kind(), want, want.Kind())
		}
	}
}

// wireWithoutPlain is AppendWire of a copy of m that knows nothing is plain.
func wireWithoutPlain(m *Message) string {
	c := m.Clone()
	for i := range c.fields {
		c.fields[i].plain = 0
	}
	return string(c.AppendWire(nil))
}

// TestPlainBitsFollowChanges checks that the wire form written with the
// plain bits of decoded fields equals the one written without them, after
// the values are changed in every way a message allows.
func TestPlainBitsFollowChanges(t *testing.T) {
	s := harmonization.Default()
	data := `{"feed.name": "Feed", "source.fqdn": "example.com", "extra.a": "x", "comment": "caf\u00e9", ` +
		`"event_description.text": "say \"hi\"", "source.ip": "192.0.2.1", "feed.name": "Feed 2", ` +
		`"extra.b": "\u2603", "__type": "Event"}`
	m, err := Decode(s, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		if got, want := string(m.AppendWire(nil)), wireWithoutPlain(m); got != want {
			t.Fatalf("%s: wire form\n%s\nwant\n%s", what, got, want)
		}
	}
	check("decoded")
	for _, key := range []string{"feed.name", "source.fqdn", "extra.a", "comment", "source.ip"} {
		if err := m.Set(key, harmonization.String(`new "value" \ é`)); err != nil && key != "source.fqdn" && key != "source.ip" {
			t.Fatal(err)
		}
		check("set " + key)
	}
	if err := m.Set("extra", harmonization.RawJSON(`{"a": "\"q\"", "c": 1}`)); err != nil {
		t.Fatal(err)
	}
	check("set extra")
	o, _ := Decode(s, []byte(`{"feed.name": "x\"y", "__type": "Event"}`))
	if err := m.Update(o); err != nil {
		t.Fatal(err)
	}
	check("update")
	// A value that fails validation as it is gets sanitized while decoding.
	m, err = Decode(s, []byte(`{"source.fqdn": "Example.COM.", "classification.type": "C&C", "__type": "Event"}`))
	if err != nil {
		t.Fatal(err)
	}
	check("sanitized while decoding")
}

// TestShortNumberAgreesWithScanner checks the one-pass number reader against
// numberEnd and numberValue on numbers and on what follows them.
func TestShortNumberAgreesWithScanner(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	parts := []string{"-", "0", "1", "9", "5", ".", "e", "E", "+", "-", "00", "123456789", ",", "}", " ", "x"}
	inputs := []string{"0", "-0", "0.0", "-0.0", "100.0", "01", "1.", "1.e5", "1e5", "-", "1.5,", "9999999999999999",
		"999999999999999", "0.000000000000001", "12345678901234.5", "-Infinity", "1.0.0"}
	for i := 0; i < 50000; i++ {
		var b []byte
		for n := 1 + rng.IntN(8); n > 0; n-- {
			b = append(b, parts[rng.IntN(len(parts))]...)
		}
		inputs = append(inputs, string(b))
	}
	for _, src := range inputs {
		end, v, ok := shortNumber(src, 0)
		if !ok {
			continue
		}
		wantEnd, isInt, err := numberEnd(src, 0)
		if err != nil || end != wantEnd {
			t.Fatalf("shortNumber(%q) ends at %d; numberEnd: %d, %v", src, end, wantEnd, err)
		}
		want := numberValue(src[:end], isInt)
		if !v.Equal(want) || v.Kind() != want.Kind() || math.Signbit(v.Float()) != math.Signbit(want.Float()) {
			t.Fatalf("shortNumber(%q) = %v (%v), want %v (%v)", src, v, v.Kind(), want, want.Kind())
		}
	}
}

// TestSetRawTextWireForm checks the wire form of a raw set from text against
// the one written without the plain bits.
func TestSetRawTextWireForm(t *testing.T) {
	m := NewEvent(harmonization.Default())
	for _, text := range []string{"a", "ab", "abc", "line \"1\"\n", "caf\u00e9"} {
		if err := SetRawText(m, text); err != nil {
			t.Fatal(err)
		}
		if got, want := string(m.AppendWire(nil)), wireWithoutPlain(m); got != want {
			t.Fatalf("%q: %s, want %s", text, got, want)
		}
	}
}
