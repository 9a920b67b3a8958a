// SPDX-License-Identifier: AGPL-3.0-or-later

// Package message implements IntelMQ's messages, Report and Event, with
// IntelMQ's exact semantics and wire format, so that Go bots and Python
// IntelMQ bots can share one Redis pipeline.
//
// A Message holds flat dotted keys (source.ip, extra.tags) with typed
// harmonization.Values in insertion order. Every change goes through
// IntelMQ's add rules: the key must be allowed by the harmonization schema,
// values are sanitized (normalised) and validated by the field's type,
// "", "-" and "N/A" are ignored, and an existing key is only replaced on
// request (Overwrite). Setting "extra" to a JSON object stores one extra.*
// key per member.
//
// Building an event:
//
//	ev := message.NewEvent(harmonization.Default())
//	if err := ev.AddString("source.ip", "192.0.2.1"); err != nil {
//		return err // *message.InvalidValueError names key, value and reason
//	}
//	_ = ev.Add("source.port", harmonization.Int(443))
//	_ = ev.AddString("classification.type", "c&c") // sanitized to "c2-server"
//	_ = message.SetRawText(ev, line)               // stored as base64
//	wire := ev.AppendWire(nil) // {"source.ip": "192.0.2.1", ..., "__type": "Event"}
//
// Reading from a queue:
//
//	m, err := message.Decode(schema, data) // validates, sanitizes if needed
//	v, ok := m.Get("source.ip")
//	for key, v := range m.All() { ... }     // insertion order
//
// Errors are typed: *InvalidKeyError, *InvalidValueError, *KeyExistsError,
// *KeyNotExistsError (aliases of the harmonization errors) and, for bytes
// that are not a message at all, *DecodeError.
//
// The wire form (AppendWire, Decode) is byte-for-byte Python's json.dumps
// output; AppendJSON is IntelMQ's to_json (sorted, UTF-8) used by file
// outputs; Hash is IntelMQ's message hash. A parser derives its events from
// the report with EventFromReport and reads the report data with RawBytes.
// The compact form (AppendCompact) carries a message between the bots of one
// process on its embedded queue; every decode reads both forms, and
// WireForm turns the compact form back into the wire form.
//
// This package imports only the standard library and stdlib/harmonization.
package message
