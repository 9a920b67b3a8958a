// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"testing"
	"unsafe"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// decoderCorpus returns wire messages that share keys and values in
// places: Python's golden cases, and messages made to trip a memo that
// compared too little (the same value under another key, another value
// under the same key, a field valid in an Event but not in a Report, values
// that need sanitizing, ignored values, duplicate keys).
func decoderCorpus(t testing.TB) [][]byte {
	var out [][]byte
	for _, gc := range loadGolden(t) {
		in, err := base64.StdEncoding.DecodeString(gc.InputB64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, in, []byte(gc.Wire))
	}
	for _, s := range []string{
		`{"feed.name": "A", "source.ip": "192.0.2.1", "source.port": 80, "__type": "Event"}`,
		`{"feed.name": "A", "source.ip": "192.0.2.2", "source.port": 80, "__type": "Event"}`,
		`{"feed.name": "A", "source.ip": " 192.0.2.1 ", "source.port": "80", "__type": "Event"}`,
		`{"feed.name": "A", "source.ip": "192.0.2.1", "source.port": 80, "__type": "Report"}`,
		`{"feed.name": "A", "raw": "YQ==", "__type": "Report"}`,
		`{"feed.name": "A", "raw": "YQ==", "__type": "Event"}`,
		`{"feed.name": "192.0.2.1", "source.ip": "A", "__type": "Event"}`,
		`{"feed.name": "A", "destination.ip": "192.0.2.1", "__type": "Event"}`,
		`{"feed.name": "", "source.ip": "192.0.2.1", "__type": "Event"}`,
		`{"feed.name": "N/A", "source.ip": "192.0.2.1", "__type": "Event"}`,
		`{"classification.type": "C&C", "classification.taxonomy": "malicious code", "__type": "Event"}`,
		`{"classification.type": "c2-server", "classification.taxonomy": "malicious-code", "__type": "Event"}`,
		`{"classification.type": "no such type", "__type": "Event"}`,
		`{"time.source": "2024-01-01 10:00:00", "time.observation": "2024-01-01T10:00:00+00:00", "__type": "Event"}`,
		`{"time.source": "2024-01-01T10:00:00+00:00", "time.observation": "2024-01-01 10:00:00", "__type": "Event"}`,
		`{"source.port": 80, "source.port": 81, "feed.name": "A", "__type": "Event"}`,
		`{"extra.a": 1, "extra.b": "x", "feed.name": "A", "__type": "Event"}`,
		`{"extra": {"a": 1}, "feed.name": "A", "__type": "Event"}`,
		`{"extra.a": 1.0, "extra.b": "x", "feed.name": "A", "__type": "Event"}`,
		`{"source.asn": 64496, "feed.accuracy": 50, "__type": "Event"}`,
		`{"source.asn": 64496.0, "feed.accuracy": 50.0, "__type": "Event"}`,
		`{"source.asn": "64496", "feed.accuracy": "50", "__type": "Event"}`,
		`{"no.such.key": "x", "__type": "Event"}`,
		`{"feed.name": "A"`,
	} {
		out = append(out, []byte(s))
	}
	return out
}

// outcome is what decoding gave: the wire form and plain bits of the
// message, or the error.
func outcome(m *Message, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var plain bytes.Buffer
	for _, e := range m.fields {
		fmt.Fprintf(&plain, "%d", e.plain)
	}
	return fmt.Sprintf("%s %s plain %s", m.Type(), m.AppendWire(nil), plain.String())
}

// freshOutcomes returns the outcome of decoding each of corpus into a new
// message.
func freshOutcomes(corpus [][]byte) []string {
	want := make([]string, len(corpus))
	for i, data := range corpus {
		m := NewEvent(harmonization.Default())
		want[i] = outcome(m, m.DecodeInto(data))
	}
	return want
}

// TestDecoderAgrees decodes every pair of corpus messages one after the
// other with a Decoder, and checks that the second gives what a fresh
// decode of it gives.
func TestDecoderAgrees(t *testing.T) {
	corpus := decoderCorpus(t)
	want := freshOutcomes(corpus)
	var d Decoder
	m := NewEvent(harmonization.Default())
	recalled := 0
	for i, a := range corpus {
		for j, b := range corpus {
			if got := outcome(m, d.DecodeInto(m, a)); got != want[i] {
				t.Fatalf("decoding %s after %s:\n got %s\nwant %s", a, corpus[max(j-1, 0)], got, want[i])
			}
			before := d.memo
			if got := outcome(m, d.DecodeInto(m, b)); got != want[j] {
				t.Fatalf("decoding %s after %s:\n got %s\nwant %s", b, a, got, want[j])
			}
			if i == j && len(before) > 0 {
				recalled++
			}
		}
	}
	if recalled == 0 {
		t.Fatal("the Decoder remembered nothing: the test compared fresh decodes only")
	}
}

// TestDecoderRemembers checks that a repeated message is served from the
// memo: with the memo's checked values replaced, the decode returns them.
func TestDecoderRemembers(t *testing.T) {
	s := harmonization.Default()
	data := []byte(`{"feed.name": "A", "classification.type": "C&C", "__type": "Event"}`)
	var d Decoder
	m := NewEvent(s)
	if err := d.DecodeInto(m, data); err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Get("classification.type"); v.Str() != "c2-server" {
		t.Fatalf("classification.type = %q, want the sanitized c2-server", v.Str())
	}
	if len(d.memo) != 2 {
		t.Fatalf("the memo has %d fields, want 2", len(d.memo))
	}
	if !d.memo[1].sanitized || d.memo[0].sanitized {
		t.Fatalf("memo %+v: only classification.type was sanitized", d.memo)
	}
	d.memo[1].checked = harmonization.String("marker")
	if err := d.DecodeInto(m, data); err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Get("classification.type"); v.Str() != "marker" {
		t.Fatalf("classification.type = %q: the second decode did not use the memo", v.Str())
	}
	other := []byte(`{"feed.name": "A", "classification.type": "c2-server", "__type": "Event"}`)
	if err := d.DecodeInto(m, other); err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Get("classification.type"); v.Str() != "c2-server" {
		t.Fatalf("classification.type = %q: a changed value was taken from the memo", v.Str())
	}
}

// FuzzDecoder checks that decoding b after a with a Decoder gives what a
// fresh decode of b gives.
func FuzzDecoder(f *testing.F) {
	corpus := decoderCorpus(f)
	for i := range corpus {
		f.Add(corpus[i], corpus[(i+1)%len(corpus)])
		f.Add(corpus[i], corpus[i])
	}
	s := harmonization.Default()
	f.Fuzz(func(t *testing.T, a, b []byte) {
		fresh := NewEvent(s)
		want := outcome(fresh, fresh.DecodeInto(b))
		var d Decoder
		m := NewEvent(s)
		_ = d.DecodeInto(m, a)
		if got := outcome(m, d.DecodeInto(m, b)); got != want {
			t.Fatalf("decoding %q after %q:\n got %s\nwant %s", b, a, got, want)
		}
	})
}

// TestDecoderSkipsLargeMessages checks that a Decoder remembers nothing of
// a message above maxMemoData (a report): its remembered values would keep
// the report's whole text in memory until the next one.
func TestDecoderSkipsLargeMessages(t *testing.T) {
	s := harmonization.Default()
	big := fmt.Sprintf(`{"feed.name": "A", "raw": %q, "__type": "Report"}`, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("x"), maxMemoData)))
	var d Decoder
	m := NewEvent(s)
	if err := d.DecodeInto(m, []byte(big)); err != nil {
		t.Fatal(err)
	}
	if len(d.memo) != 0 {
		t.Errorf("the Decoder remembers %d fields of a %d-byte message", len(d.memo), len(big))
	}
	if v, _ := m.Get("feed.name"); v.Str() != "A" {
		t.Errorf("feed.name = %q; the large message was not decoded", v.Str())
	}
}

// TestDecodeShared checks that DecodeShared gives what DecodeInto gives for
// every pair of corpus messages, and that a plain value it decodes is a
// part of the data, not a copy.
func TestDecodeShared(t *testing.T) {
	corpus := decoderCorpus(t)
	want := freshOutcomes(corpus)
	var d Decoder
	m := NewEvent(harmonization.Default())
	for _, a := range corpus {
		for j, b := range corpus {
			_ = d.DecodeShared(m, bytes.Clone(a))
			if got := outcome(m, d.DecodeShared(m, bytes.Clone(b))); got != want[j] {
				t.Fatalf("shared decoding of %s after %s:\n got %s\nwant %s", b, a, got, want[j])
			}
		}
	}
	data := []byte(`{"feed.name": "Shared feed", "__type": "Event"}`)
	if err := d.DecodeShared(m, data); err != nil {
		t.Fatal(err)
	}
	v, _ := m.Get("feed.name")
	p := uintptr(unsafe.Pointer(unsafe.StringData(v.Str())))
	if start := uintptr(unsafe.Pointer(&data[0])); p < start || p >= start+uintptr(len(data)) {
		t.Errorf("feed.name %q is a copy, not a part of the data", v.Str())
	}
}

// wireOf returns the wire form of the message data decodes to, nil when
// it does not decode.
func wireOf(s *harmonization.Schema, data []byte) []byte {
	m := NewEvent(s)
	if m.DecodeInto(data) != nil {
		return nil
	}
	return m.AppendWire(nil)
}

// trustedAgrees checks that the wire form b decodes to the same message
// with DecodeTrusted as with the checks (the same wire form, plain bits
// and hash), also right after a, decoded trusted or checked with the same
// Decoder, whose memo the trusted decode uses for keys.
func trustedAgrees(t *testing.T, s *harmonization.Schema, a, b []byte) {
	t.Helper()
	var dc Decoder
	checked := NewEvent(s)
	want := outcome(checked, dc.DecodeShared(checked, b))
	for _, first := range []string{"none", "trusted", "checked"} {
		var d Decoder
		m := NewEvent(s)
		switch first {
		case "trusted":
			_ = d.DecodeTrusted(m, a)
		case "checked":
			_ = d.DecodeShared(m, a)
		}
		if got := outcome(m, d.DecodeTrusted(m, b)); got != want {
			t.Fatalf("trusted decode of %s after %s (%s):\n got %s\nwant %s", b, a, first, got, want)
		}
		if h1, h2 := checked.Hash(nil, false), m.Hash(nil, false); h1 != h2 {
			t.Fatalf("trusted decode of %s after %s (%s): hash %s, want %s", b, a, first, h2, h1)
		}
		// What the trusted decode remembered serves a checked one.
		if got := outcome(m, d.DecodeShared(m, b)); got != want {
			t.Fatalf("checked decode of %s after a trusted one:\n got %s\nwant %s", b, got, want)
		}
	}
}

// TestDecodeTrustedAgrees: the wire form of every message of the corpus
// reads back the same without the checks, alone and after every other;
// DecodeTrusted still rejects what is not a message or has an unknown key.
func TestDecodeTrustedAgrees(t *testing.T) {
	s := harmonization.Default()
	var wires [][]byte
	for _, data := range decoderCorpus(t) {
		if w := wireOf(s, data); w != nil {
			wires = append(wires, w)
		}
	}
	if len(wires) < 20 {
		t.Fatalf("only %d messages of the corpus decoded", len(wires))
	}
	for _, a := range wires {
		for _, b := range wires {
			trustedAgrees(t, s, a, b)
		}
	}
	var d Decoder
	m := NewEvent(s)
	for _, bad := range []string{`{"no.such.key": "x", "__type": "Event"}`, `{"feed.name": "A"`, `{"feed.name": "A"}`, "{\"feed.name\": \"\xff\", \"__type\": \"Event\"}"} {
		if err := d.DecodeTrusted(m, []byte(bad)); err == nil {
			t.Errorf("DecodeTrusted(%q) succeeded", bad)
		}
	}
	// The values are not checked: this is what sets it apart. A bad value
	// taken on trust does not pass a later checked decode through the memo.
	bad := []byte(`{"source.ip": "not an address", "__type": "Event"}`)
	if err := d.DecodeTrusted(m, bad); err != nil {
		t.Errorf("DecodeTrusted checked a value: %v", err)
	}
	if err := d.DecodeShared(m, bad); err == nil {
		t.Error("a checked decode took a bad value a trusted one remembered")
	}
	// Nor does a key remembered on trust make a checked decode keep a
	// null value under it.
	if err := d.DecodeTrusted(m, []byte(`{"source.ip": "192.0.2.1", "__type": "Event"}`)); err != nil {
		t.Fatal(err)
	}
	if err := d.DecodeShared(m, []byte(`{"source.ip": null, "__type": "Event"}`)); err != nil || m.Has("source.ip") {
		t.Errorf("a checked decode after a trusted one kept a null source.ip (error %v)", err)
	}
}

// FuzzDecodeTrusted checks trustedAgrees on the wire forms of any two
// messages that decode.
func FuzzDecodeTrusted(f *testing.F) {
	corpus := decoderCorpus(f)
	for i := range corpus {
		f.Add(corpus[i], corpus[(i+1)%len(corpus)])
	}
	s := harmonization.Default()
	f.Fuzz(func(t *testing.T, a, b []byte) {
		wa, wb := wireOf(s, a), wireOf(s, b)
		if wb == nil {
			return
		}
		if wa == nil {
			wa = a
		}
		trustedAgrees(t, s, wa, wb)
	})
}
