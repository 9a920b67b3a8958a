// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"strings"
	"unsafe"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// valueMemo remembers, for a mapping of one field, the checked form
// (message.Checked) of the text values it has added, so that a column of
// few distinct values (malware names, statuses) is sanitized and validated
// once per value rather than per record. A column of many distinct values
// fills it, which switches it off for good.
type valueMemo struct {
	f   *harmonization.Field // the field the values were checked for
	m   map[string]memoEntry
	off bool
	// front holds recent entries of m by a cheap hash of the text, which
	// is looked at before m.
	front [frontSlots]memoEntry
}

// memoEntry is one text and its checked value.
type memoEntry struct {
	text string
	v    harmonization.Value
}

// frontSlots is the size of valueMemo.front: room for the few values of a
// typical column with few collisions.
const frontSlots = 64

// frontSlot returns the slot of text in valueMemo.front, from its length
// and its first, second, middle, second-last and last bytes.
func frontSlot(text string) int {
	n := len(text)
	if n == 0 {
		return 0
	}
	h := uint64(n) | uint64(text[0])<<8 | uint64(text[min(1, n-1)])<<16 | uint64(text[n/2])<<24 |
		uint64(text[max(n-2, 0)])<<32 | uint64(text[n-1])<<40
	return int(h * 0x9E3779B97F4A7C15 >> 58)
}

// valueMemoSize is the number of distinct values a valueMemo keeps before
// it gives up.
const valueMemoSize = 256

// valueMemoMaxLen is the longest text a valueMemo keeps.
const valueMemoMaxLen = 128

// lookup returns the checked form of text for field f.
func (c *valueMemo) lookup(f *harmonization.Field, text string) (harmonization.Value, bool) {
	if c.f != f {
		return harmonization.Value{}, false
	}
	e := &c.front[frontSlot(text)]
	if e.text == text && e.v.Kind() != harmonization.KindNone {
		return e.v, true
	}
	me, ok := c.m[text]
	if ok {
		*e = me // me.text is the memo's copy
	}
	return me.v, ok
}

// remember keeps v, the checked form for field f of the value text stands
// for; it reports false, and switches the memo off, when the memo is full.
func (c *valueMemo) remember(f *harmonization.Field, text string, v harmonization.Value) bool {
	if c.f != f {
		c.f, c.m, c.front = f, make(map[string]memoEntry, 16), [frontSlots]memoEntry{}
	}
	if len(c.m) >= valueMemoSize {
		c.off, c.m, c.front = true, nil, [frontSlots]memoEntry{}
		return false
	}
	// Copies: text and v may be pieces of the report, which the memo
	// must not keep alive.
	key := strings.Clone(text)
	if v.Kind() == harmonization.KindString {
		if v.Str() == text {
			v = harmonization.String(key)
		} else {
			v = harmonization.String(strings.Clone(v.Str()))
		}
	}
	c.m[key] = memoEntry{text: key, v: v}
	return true
}

// prepareQuick decides once for a prepared mapping whether addQuick and
// addMemo may add its values: it has one field and no generic CSV
// conversion, Extract or DecodeJSON step. A mapping that computes its
// value from the text of one variable alone (the variable itself or a
// fast expression of it) gets a memo keyed by that text (memoVar), which
// then skips the expression too; any other mapping's memo is keyed by the
// value's own text.
func (x *Executor) prepareQuick(m *mapping) {
	m.quick = x.fast && !x.converts && len(m.Fields) == 1 && m.Extract == nil && !m.DecodeJSON
	switch {
	case !m.quick:
	case m.direct != nil && m.direct.textual():
		m.memoVar = m.direct
	case m.fast != nil:
		m.memoVar = m.fast.v
	}
}

// memoKey returns the text m's memo is keyed by for rec when the memo is
// keyed by a variable's text (memoVar) and that text is at hand.
func (x *Executor) memoKey(m *mapping, rec *Record) (src string, keyed bool) {
	if m.memoVar == nil || m.memo.off || (m.appends && x.lent) {
		return "", false
	}
	return x.fastString(m.memoVar, rec)
}

// addMemo adds the value m's memo holds for the text src, when it has it.
func (x *Executor) addMemo(ev *message.Message, m *mapping, src string) (done bool, err error) {
	f := m.field(ev, 0)
	if f == nil {
		return false, nil
	}
	cv, ok := m.memo.lookup(f, src)
	if !ok {
		return false, nil
	}
	return true, x.addChecked(ev, m, f, cv)
}

// addChecked adds cv, which message.Checked gave, under m's field f.
func (x *Executor) addChecked(ev *message.Message, m *mapping, f *harmonization.Field, cv harmonization.Value) error {
	o := message.OverwriteDefault
	if m.Overwrite {
		o = message.OverwriteYes
	}
	if _, err := ev.AddChecked(f, m.Fields[0], cv, o); err != nil {
		return m.fail(err)
	}
	return nil
}

// addQuick adds v, a mapping's value, to ev when a shortcut applies: the
// mapping is quick (prepareQuick) and v is text that is either sanitized by the
// field's type into the executor's text arena (a date and time, for lent
// events) or remembered by the mapping's valueMemo, under the text src of
// memoKey when the memo is keyed by a variable's text, else under v's
// text. done is false when the
// caller must add v itself. The result is what AddField gives: the
// shortcuts only skip repeating the checks of a value whose outcome is
// known.
func (x *Executor) addQuick(ev *message.Message, m *mapping, v harmonization.Value, src string, keyed bool) (done bool, err error) {
	// A value other than text is only remembered under the text of the
	// variable it was computed from (an int() of a port column).
	if !m.quick || (v.Kind() != harmonization.KindString && (m.appends || m.memoVar == nil)) {
		return false, nil
	}
	f := m.field(ev, 0)
	if f == nil {
		return false, nil
	}
	var cv harmonization.Value
	switch {
	case m.appends && x.lent:
		b, ok := f.AppendSanitized(x.scratch[:0], v)
		if !ok {
			return false, nil
		}
		x.scratch = b[:0]
		cv = harmonization.String(x.arena.Bytes(b))
	case m.memo.off:
		// A column of many distinct values (addresses): checked here; a
		// value Checked refuses takes the caller's path, which gives the
		// error.
		var ok bool
		if cv, ok = message.Checked(f, v, true); !ok {
			return false, nil
		}
	default:
		key := v.Str()
		if m.memoVar != nil {
			if !keyed {
				return false, nil
			}
			key = src
		}
		var ok bool
		if cv, ok = m.memo.lookup(f, key); !ok {
			if len(key) > valueMemoMaxLen {
				return false, nil
			}
			if cv, ok = message.Checked(f, v, true); !ok || !m.memo.remember(f, key, cv) {
				return false, nil
			}
		}
	}
	return true, x.addChecked(ev, m, f, cv)
}

// addConcatSanitized is addQuick for a mapping whose value is a fast
// concatenation that its field's type sanitizes into new text (a date and
// time with " UTC" added, for a lent event): the concatenation is only
// written to scratch space, which the sanitizer reads and does not keep,
// and the sanitized text goes to the arena. done is false, with nothing
// added, when the caller must compute and add the value itself.
func (x *Executor) addConcatSanitized(ev *message.Message, m *mapping, rec *Record) (done bool, err error) {
	s, ok := x.fastString(m.fast.v, rec)
	f := m.field(ev, 0)
	if !ok || f == nil {
		return false, nil
	}
	a, b := s, m.fast.c
	if m.fast.prefix {
		a, b = b, a
	}
	x.concat = append(append(x.concat[:0], a...), b...)
	v := harmonization.String(unsafe.String(unsafe.SliceData(x.concat), len(x.concat)))
	if ignored(v) {
		return false, nil
	}
	out, ok := f.AppendSanitized(x.scratch[:0], v)
	if !ok {
		return false, nil
	}
	x.scratch = out[:0]
	return true, x.addChecked(ev, m, f, harmonization.String(x.arena.Bytes(out)))
}
