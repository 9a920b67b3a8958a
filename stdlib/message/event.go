// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import "github.com/intelmq-go/intelmq/stdlib/harmonization"

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
// not copied unless listed. A listed "extra" copies all extra.* keys. Values
// the event schema rejects are skipped.
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

// copyFrom copies key (or, for a JSONDict field, all key.* entries) from r,
// adding each value as IntelMQ's constructor does: as is, else sanitized.
func (m *Message) copyFrom(r *Message, key string) {
	if i := r.index(key); i >= 0 {
		m.copyValue(key, r.fields[i].val)
		return
	}
	if !r.isDictParent(key) {
		return
	}
	for _, f := range r.fields {
		if hasPrefixDot(f.key, key) {
			m.copyValue(f.key, f.val)
		}
	}
}

// copyValue adds v with overwrite, dropping it when the event rejects it.
func (m *Message) copyValue(key string, v harmonization.Value) {
	if err := m.addTwice(key, v, OverwriteYes); err != nil {
		return
	}
}
