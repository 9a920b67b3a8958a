// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"encoding/json"
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// benchWire is a typical 12-field parser output as Python IntelMQ writes it.
const benchWire = `{"feed.accuracy": 100.0, "feed.name": "Example Feed", "feed.url": "https://example.com/feed.csv", ` +
	`"time.observation": "2024-01-01T10:00:00+00:00", "time.source": "2024-01-01T09:55:00+00:00", ` +
	`"classification.taxonomy": "malicious-code", "classification.type": "c2-server", "source.ip": "192.0.2.10", ` +
	`"source.port": 443, "source.asn": 64496, "source.geolocation.cc": "DE", ` +
	`"raw": "MTkyLjAuMi4xMCw0NDMsYzIsMjAyNC0wMS0wMSAwOTo1NTowMA==", "__type": "Event"}`

// BenchmarkBuildEvent builds a 12-field event the way a parser does (every
// value sanitized) and encodes it for the queue.
func BenchmarkBuildEvent(b *testing.B) {
	s := harmonization.Default()
	line := []byte("192.0.2.10,443,c2,2024-01-01 09:55:00")
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		m := NewEvent(s)
		err := m.Add("feed.accuracy", harmonization.Float(100))
		err = firstErr(err, m.AddString("feed.name", "Example Feed"))
		err = firstErr(err, m.AddString("feed.url", "https://example.com/feed.csv"))
		err = firstErr(err, m.AddString("time.observation", "2024-01-01T10:00:00+00:00"))
		err = firstErr(err, m.AddString("time.source", "2024-01-01T09:55:00+00:00"))
		err = firstErr(err, m.AddString("classification.taxonomy", "malicious-code"))
		err = firstErr(err, m.AddString("classification.type", "c2-server"))
		err = firstErr(err, m.AddString("source.ip", "192.0.2.10"))
		err = firstErr(err, m.Add("source.port", harmonization.Int(443)))
		err = firstErr(err, m.Add("source.asn", harmonization.Int(64496)))
		err = firstErr(err, m.AddString("source.geolocation.cc", "DE"))
		err = firstErr(err, SetRawText(m, line))
		if err != nil {
			b.Fatal(err)
		}
		buf = m.AppendWire(buf[:0])
	}
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// BenchmarkDecodeValidateEncode reads one 12-field event from the wire
// (validating every field) and writes it back, reusing the message.
func BenchmarkDecodeValidateEncode(b *testing.B) {
	data := []byte(benchWire)
	m := NewEvent(harmonization.Default())
	buf := make([]byte, 0, 1024)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := m.DecodeInto(data); err != nil {
			b.Fatal(err)
		}
		buf = m.AppendWire(buf[:0])
	}
}

// BenchmarkDecoderValidateEncode is BenchmarkDecodeValidateEncode through
// a Decoder: the same message again, so every field is remembered.
func BenchmarkDecoderValidateEncode(b *testing.B) {
	data := []byte(benchWire)
	m := NewEvent(harmonization.Default())
	var d Decoder
	buf := make([]byte, 0, 1024)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := d.DecodeInto(m, data); err != nil {
			b.Fatal(err)
		}
		buf = m.AppendWire(buf[:0])
	}
}

// BenchmarkDecodeFresh is BenchmarkDecodeValidateEncode with a new message
// per iteration (Decode).
func BenchmarkDecodeFresh(b *testing.B) {
	data := []byte(benchWire)
	s := harmonization.Default()
	buf := make([]byte, 0, 1024)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Decode(s, data)
		if err != nil {
			b.Fatal(err)
		}
		buf = m.AppendWire(buf[:0])
	}
}

// BenchmarkHash is IntelMQ's message hash of the 12-field event.
func BenchmarkHash(b *testing.B) {
	m, err := Decode(harmonization.Default(), []byte(benchWire))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Hash(nil, false)
	}
}

// BenchmarkAppendJSON is the sorted UTF-8 output form of the 12-field event.
func BenchmarkAppendJSON(b *testing.B) {
	m, err := Decode(harmonization.Default(), []byte(benchWire))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = m.AppendJSON(buf[:0])
	}
}

// BenchmarkBaselineEncodingJSON is a yardstick for the benchmarks above on a
// busy machine: the same event through encoding/json into a map and back,
// without any validation.
func BenchmarkBaselineEncodingJSON(b *testing.B) {
	data := []byte(benchWire)
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}
