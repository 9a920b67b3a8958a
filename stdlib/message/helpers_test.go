// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// kv is one field of a message as the tests compare it.
type kv struct {
	Key string
	Val harmonization.Value
}

// valueEq compares Values by kind and content.
func valueEq() cmp.Option {
	return cmp.Comparer(func(a, b harmonization.Value) bool { return a.Equal(b) })
}

// fieldsOf returns the fields of m in insertion order.
func fieldsOf(m *Message) []kv {
	var out []kv
	for k, v := range m.All() {
		out = append(out, kv{k, v})
	}
	return out
}

// newEvent returns an event with the given fields added as they are
// (sanitize off), failing the test on any error.
func newEvent(t testing.TB, fields ...kv) *Message {
	t.Helper()
	m := NewEvent(harmonization.Default())
	for _, f := range fields {
		if err := m.addTwice(f.Key, f.Val, OverwriteDefault); err != nil {
			t.Fatalf("setup: add %s: %v", f.Key, err)
		}
	}
	return m
}

// Short constructors for the tables.
func str(s string) harmonization.Value  { return harmonization.String(s) }
func num(n int64) harmonization.Value   { return harmonization.Int(n) }
func flt(f float64) harmonization.Value { return harmonization.Float(f) }
func boo(b bool) harmonization.Value    { return harmonization.Bool(b) }
func raw(s string) harmonization.Value  { return harmonization.RawJSON(s) }
