// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// valueOutcome is outcome without the plain bits, which a decode of the
// wire form may leave unset where a decode of the compact form sets them
// (a key before a nested value); plainSound checks that they are right.
func valueOutcome(m *Message, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprintf("%s %s", m.Type(), m.AppendWire(nil))
}

// plainSound fails when a plain bit of m claims more than is true.
func plainSound(t *testing.T, m *Message, what string) {
	t.Helper()
	for _, e := range m.fields {
		if e.plain&plainKey != 0 && !isPlain(e.key) {
			t.Fatalf("%s: key %q is marked plain", what, e.key)
		}
		if e.plain&plainVal != 0 && (e.val.Kind() != harmonization.KindString || !isPlain(e.val.Str())) {
			t.Fatalf("%s: value %q of %s is marked plain", what, e.val.String(), e.key)
		}
	}
}

// compactAgrees checks that the compact form of the message the wire form
// b decodes to reads back as that message, trusted or checked, also right
// after a (in either form, decoded either way) with the same Decoder; and
// that its plain bits are sound.
func compactAgrees(t *testing.T, s *harmonization.Schema, a, b []byte) {
	t.Helper()
	ref := NewEvent(s)
	refErr := ref.DecodeInto(b)
	want := valueOutcome(ref, refErr)
	if refErr != nil {
		return
	}
	cb := ref.AppendCompact(nil)
	if !IsCompact(cb) {
		t.Fatalf("AppendCompact of %s gave the wire form", b)
	}
	var ca []byte
	if ma := NewEvent(s); ma.DecodeInto(a) == nil {
		ca = ma.AppendCompact(nil)
	}
	for _, first := range []string{"none", "wire trusted", "wire checked", "compact trusted", "compact checked"} {
		for _, trusted := range []bool{true, false} {
			var d Decoder
			m := NewEvent(s)
			switch first {
			case "wire trusted":
				_ = d.DecodeTrusted(m, a)
			case "wire checked":
				_ = d.DecodeShared(m, a)
			case "compact trusted":
				_ = d.DecodeTrusted(m, ca)
			case "compact checked":
				_ = d.DecodeShared(m, ca)
			}
			decode := d.DecodeShared
			if trusted {
				decode = d.DecodeTrusted
			}
			what := fmt.Sprintf("compact decode (trusted %v) of %s after %s (%s)", trusted, b, a, first)
			if got := valueOutcome(m, decode(m, bytes.Clone(cb))); got != want {
				t.Fatalf("%s:\n got %s\nwant %s", what, got, want)
			}
			plainSound(t, m, what)
			if h1, h2 := ref.Hash(nil, false), m.Hash(nil, false); h1 != h2 {
				t.Fatalf("%s: hash %s, want %s", what, h2, h1)
			}
			if again := m.AppendCompact(nil); !bytes.Equal(again, cb) {
				t.Fatalf("%s: compact form %q, first %q", what, again, cb)
			}
		}
	}
}

// TestCompactAgrees runs compactAgrees on every pair of the corpus.
func TestCompactAgrees(t *testing.T) {
	s := harmonization.Default()
	var wires [][]byte
	for _, data := range decoderCorpus(t) {
		if w := wireOf(s, data); w != nil {
			wires = append(wires, w)
		}
	}
	for _, a := range wires {
		for _, b := range wires {
			compactAgrees(t, s, a, b)
		}
	}
}

// TestCompactChecked checks what sets a checked decode of the compact form
// apart from a trusted one, and that damaged data is refused, not taken.
func TestCompactChecked(t *testing.T) {
	s := harmonization.Default()
	bad := NewEvent(s)
	bad.appendField("source.ip", harmonization.String("not an address"))
	cb := bad.AppendCompact(nil)
	var d Decoder
	m := NewEvent(s)
	if err := d.DecodeTrusted(m, cb); err != nil {
		t.Errorf("a trusted decode checked a value: %v", err)
	}
	if err := d.DecodeShared(m, cb); err == nil {
		t.Error("a checked decode took a bad value (after a trusted decode remembered its key)")
	}

	// A value that needs sanitizing is sanitized, as from JSON.
	dirty := NewEvent(s)
	dirty.appendField("source.ip", harmonization.String(" 192.0.2.1 "))
	if err := d.DecodeShared(m, dirty.AppendCompact(nil)); err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Get("source.ip"); v.Str() != "192.0.2.1" {
		t.Errorf("source.ip = %q, want it sanitized", v.Str())
	}

	// Plain bits that lie, a string that is not UTF-8 and a JSON value
	// that is not JSON: a checked decode finds them out.
	liar := []byte{compactMagic, byte(harmonization.Event), 9 << 1} // a key of 9 bytes
	liar = append(liar, "feed.name"...)
	liar = append(liar, byte(harmonization.KindString)|(plainKey|plainVal)<<compactPlainShift, 3, 'a', '"', 'b')
	if err := d.DecodeShared(m, liar); err != nil {
		t.Fatal(err)
	}
	plainSound(t, m, "checked decode of lying plain bits")
	if got, want := string(m.AppendWire(nil)), `{"feed.name": "a\"b", "__type": "Event"}`; got != want {
		t.Errorf("wire form %s, want %s", got, want)
	}
	notUTF8 := append(liar[:len(liar)-4:len(liar)-4], 1, 0xff)
	if err := d.DecodeShared(m, notUTF8); err == nil {
		t.Error("a checked decode took a string that is not UTF-8")
	}
	notJSON := []byte{compactMagic, byte(harmonization.Event), 7 << 1}
	notJSON = append(notJSON, "extra.a"...)
	notJSON = append(notJSON, byte(harmonization.KindJSON), 2, '{', '"')
	for _, decode := range []func(*Message, []byte) error{d.DecodeShared, d.DecodeTrusted} {
		if err := decode(m, notJSON); err == nil {
			t.Error("a decode took a JSON value that is not JSON")
		}
	}

	// Every truncation of a good message is an error, not a panic and not
	// a shorter message, except at the end of a field.
	good := NewEvent(s)
	for _, f := range []struct{ k, v string }{{"feed.name", "Feed"}, {"source.ip", "192.0.2.1"}} {
		if err := good.AddString(f.k, f.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := good.Add("source.port", harmonization.Int(80)); err != nil {
		t.Fatal(err)
	}
	full := good.AppendCompact(nil)
	ends := map[int]bool{}
	for n := 2; n <= len(full); n++ {
		if err := d.DecodeShared(m, full[:n]); err == nil {
			ends[n] = true
		}
	}
	if len(ends) != 4 || !ends[2] || !ends[len(full)] {
		t.Errorf("truncations that decode end at %v; want the ends of the 3 fields and of the header (of %d bytes)", ends, len(full))
	}
	unknownCode := binary.AppendUvarint([]byte{compactMagic, byte(harmonization.Event)}, uint64(len(compactKeys))<<1|1)
	for _, data := range [][]byte{{compactMagic}, {compactMagic, 9}, {compactMagic, byte(harmonization.Event), 0x80},
		append(unknownCode, byte(harmonization.KindNone))} {
		if err := d.DecodeShared(m, data); err == nil {
			t.Errorf("decoding %q succeeded", data)
		}
	}
}

// TestCompactFallsBack: a message whose strings the wire form would not
// give back (bad UTF-8, which JSON replaces) is written in the wire form,
// which both forms' readers take; lone surrogates stay compact.
func TestCompactFallsBack(t *testing.T) {
	s := harmonization.Default()
	m := NewEvent(s)
	m.appendField("feed.name", harmonization.String("bad \xff byte"))
	out := m.AppendCompact([]byte("prefix"))
	if got, want := string(out), "prefix"+string(m.AppendWire(nil)); got != want {
		t.Errorf("AppendCompact = %q, want the wire form %q", got, want)
	}
	sur := NewEvent(s)
	if err := sur.DecodeInto([]byte(`{"feed.name": "lone \ud800 surrogate", "__type": "Event"}`)); err != nil {
		t.Fatal(err)
	}
	cb := sur.AppendCompact(nil)
	if !IsCompact(cb) {
		t.Fatalf("a lone surrogate made AppendCompact give the wire form")
	}
	back := NewEvent(s)
	if err := back.DecodeInto(cb); err != nil {
		t.Fatal(err)
	}
	if got, want := string(back.AppendWire(nil)), string(sur.AppendWire(nil)); got != want {
		t.Errorf("lone surrogate: %s, want %s", got, want)
	}
}

// TestCompactSmaller checks the point of the form on an event of a feed:
// it is much shorter than the wire form (203 bytes against 380).
func TestCompactSmaller(t *testing.T) {
	data := []byte(`{"feed.name": "Feodo", "time.observation": "2024-03-01T00:00:00+00:00", "raw": "MjAyNC0wMS0wMSAxMDowMDowMCwxMC4wLjAuMCwxMDI0LG9ubGluZQ==", "classification.type": "c2-server", "time.source": "2024-01-01T10:00:00+00:00", "source.ip": "10.0.0.1", "source.port": 1024, "malware.name": "emotet", "extra.status": "online", "classification.taxonomy": "malicious-code", "__type": "Event"}`)
	m := NewEvent(harmonization.Default())
	if err := m.DecodeInto(data); err != nil {
		t.Fatal(err)
	}
	w, c := m.AppendWire(nil), m.AppendCompact(nil)
	if len(c)*10 > len(w)*6 {
		t.Errorf("compact form of %d bytes, wire form of %d: not 40 %% shorter", len(c), len(w))
	}
	if strings.Contains(string(c), `"`) {
		t.Errorf("compact form %q quotes", c)
	}
}

// FuzzCompact checks compactAgrees on the wire forms of any two messages,
// and that a checked decode of any data in the compact form takes nothing
// that a checked decode of its wire form would not give back the same.
func FuzzCompact(f *testing.F) {
	corpus := decoderCorpus(f)
	s := harmonization.Default()
	for i := range corpus {
		f.Add(corpus[i], corpus[(i+1)%len(corpus)])
		if m := NewEvent(s); m.DecodeInto(corpus[i]) == nil {
			f.Add(m.AppendCompact(nil), corpus[i])
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if wb := wireOf(s, b); wb != nil {
			wa := wireOf(s, a)
			if wa == nil {
				wa = a
			}
			compactAgrees(t, s, wa, wb)
		}
		if !IsCompact(a) {
			return
		}
		var d Decoder
		m := NewEvent(s)
		if err := d.DecodeShared(m, a); err != nil {
			return
		}
		plainSound(t, m, fmt.Sprintf("checked decode of %q", a))
		w := m.AppendWire(nil)
		again := NewEvent(s)
		if got, want := valueOutcome(again, again.DecodeInto(w)), valueOutcome(m, nil); got != want {
			t.Fatalf("compact %q decoded to %s, whose wire form reads back as %s", a, want, got)
		}
	})
}

// TestCompactShared checks that DecodeShared and DecodeTrusted keep the
// strings of the compact form in its data, as they do for JSON, and that
// DecodeInto copies them.
func TestCompactShared(t *testing.T) {
	s := harmonization.Default()
	src := NewEvent(s)
	if err := src.AddString("feed.name", "Shared feed"); err != nil {
		t.Fatal(err)
	}
	inData := func(m *Message, data []byte) bool {
		v, _ := m.Get("feed.name")
		p := uintptr(unsafe.Pointer(unsafe.StringData(v.Str())))
		start := uintptr(unsafe.Pointer(&data[0]))
		return p >= start && p < start+uintptr(len(data))
	}
	var d Decoder
	for _, c := range []struct {
		name   string
		decode func(*Message, []byte) error
		shared bool
	}{{"DecodeShared", d.DecodeShared, true}, {"DecodeTrusted", d.DecodeTrusted, true}, {"DecodeInto", d.DecodeInto, false}} {
		data := src.AppendCompact(nil)
		m := NewEvent(s)
		if err := c.decode(m, data); err != nil {
			t.Fatal(err)
		}
		if got := inData(m, data); got != c.shared {
			t.Errorf("%s: feed.name part of the data %v, want %v", c.name, got, c.shared)
		}
	}
}

// TestCompactKeysFrozen pins the codes of the compact form: a queue file
// may hold messages written with them. Keys may be added at the end of
// compactKeys (then pin the new list here), never removed or moved.
func TestCompactKeysFrozen(t *testing.T) {
	sum := sha256.Sum256([]byte(strings.Join(compactKeys[:82], "\n")))
	if got, want := hex.EncodeToString(sum[:]), "dec12880dc69f61536e142393eca7f79cdaa92753e60c5f31065532dc726e433"; got != want {
		t.Errorf("the first 82 codes of the compact form changed (sha256 %s, want %s)", got, want)
	}
}

// TestCompactCode checks the lookup of the keys' codes: every key of
// compactKeys has its own, other keys none, and a message written with
// codes reads back with the table's strings.
func TestCompactCode(t *testing.T) {
	for i, k := range compactKeys {
		if got := compactCode(k); got != uint8(i+1) {
			t.Errorf("compactCode(%q) = %d, want %d", k, got, i+1)
		}
		if got := compactCode(strings.Clone(k)); got != uint8(i+1) {
			t.Errorf("compactCode of a copy of %q = %d, want %d", k, got, i+1)
		}
		for _, other := range []string{k + "x", k[:len(k)-1], "x" + k[1:], "extra." + k} {
			if got := compactCode(other); got != 0 {
				t.Errorf("compactCode(%q) = %d, want none", other, got)
			}
		}
	}
	for _, k := range []string{"", "a", "extra.status", "__type"} {
		if got := compactCode(k); got != 0 {
			t.Errorf("compactCode(%q) = %d, want none", k, got)
		}
	}
	s := harmonization.Default()
	m := NewEvent(s)
	for _, f := range []struct{ k, v string }{{"source.ip", "192.0.2.1"}, {"extra.status", "online"}} {
		if err := m.AddString(f.k, f.v); err != nil {
			t.Fatal(err)
		}
	}
	data := m.AppendCompact(nil)
	if bytes.Contains(data, []byte("source.ip")) || !bytes.Contains(data, []byte("extra.status")) {
		t.Errorf("compact form %q: want source.ip as a code, extra.status spelt out", data)
	}
	back := NewEvent(s)
	if err := back.DecodeInto(data); err != nil {
		t.Fatal(err)
	}
	if got := back.fields[0].key; unsafe.StringData(got) != unsafe.StringData(compactKeys[compactCode("source.ip")-1]) {
		t.Errorf("source.ip read back as a string of its own, not the table's")
	}
	if got, want := string(back.AppendWire(nil)), string(m.AppendWire(nil)); got != want {
		t.Errorf("read back as %s, want %s", got, want)
	}
}
