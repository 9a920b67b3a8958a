// SPDX-License-Identifier: AGPL-3.0-or-later

package message

// reportKeys returns the report keys an event inherits, in IntelMQ's order.
func reportKeys() [8]string {
	return [8]string{"feed.accuracy", "feed.code", "feed.documentation", "feed.name",
		"feed.provider", "feed.url", "rtir_id", "time.observation"}
}

// EventFromReport returns a new Event (same schema as r) holding exactly
// what IntelMQ's Event(report) copies: feed.accuracy, feed.code,
// feed.documentation, feed.name, feed.provider, feed.url, rtir_id and
// time.observation when present, then every key of copyFields (the parser
// parameter copy_collector_provided_fields) that r has. raw and extra are
// not copied unless listed; a listed "extra" copies the extra object (nested
// keys such as extra.a.b arrive as extra.a = {"b": ...}, as in IntelMQ).
// Values the event schema rejects are skipped.
func EventFromReport(r *Message, copyFields []string) *Message {
	ev := NewEvent(r.schema)
	for _, k := range reportKeys() {
		ev.copyFrom(r, k)
	}
	for _, k := range copyFields {
		ev.copyFrom(r, k)
	}
	return ev
}

// copyFrom copies key from r when r has it, adding the value as IntelMQ's
// constructor does (as is, else sanitized) and dropping it when the event
// rejects it. For a JSONDict field (extra) the value is, as in IntelMQ, the
// JSON text of r's nested extra object, flattened again one level.
func (m *Message) copyFrom(r *Message, key string) {
	if v, ok := r.Get(key); ok {
		_ = m.addTwice(key, v, OverwriteYes) // a rejected value is skipped
	}
}
