// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/datetime"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// record turns one record into its events. It returns no event and no
// error when the record is skipped, and an error when any step fails, in
// which case none of its events may be sent. n is the record's 1-based
// position in the report.
func (x *Executor) record(rec *Record, n int, tmpl *message.Message) ([]*message.Message, error) {
	if rec.Err != nil {
		return nil, rec.Err
	}
	if err := x.bind(rec, n); err != nil {
		return nil, err
	}
	if x.skip != nil {
		skip, err := x.evalBool(x.skip)
		if err != nil || skip {
			return nil, err
		}
	}
	x.npool = 0
	ev := x.newEvent(tmpl)
	if err := x.fill(ev, rec, n, x.recSet, x.p.Spread, x.maps); err != nil {
		return nil, err
	}
	x.events = x.events[:0]
	if len(x.each) == 0 {
		if err := x.finish(ev, rec, x.p.Raw); err != nil {
			return nil, err
		}
		x.events = append(x.events, ev)
		return x.events, nil
	}
	for _, b := range x.each {
		if err := x.expand(b, ev, rec, n); err != nil {
			clear(x.events)
			return nil, err
		}
	}
	return x.events, nil
}

// expand adds the events of one each block to x.events: one per item of
// its list, each a copy of the record-level event base.
func (x *Executor) expand(b eachBlock, base *message.Message, rec *Record, n int) error {
	out, err := x.eval(b.List)
	if err != nil {
		return err
	}
	items, err := listItems(out)
	if err != nil {
		return fmt.Errorf("each at %s: %w", b.Origin, err)
	}
	for i, item := range items {
		x.env[plan.VarNameItem] = item
		x.env[plan.VarNameIndex] = i
		if b.Skip != nil {
			skip, err := x.evalBool(b.Skip)
			if err != nil {
				return err
			}
			if skip {
				continue
			}
		}
		ev := x.newEvent(base)
		if err := x.fill(ev, rec, n, b.Set, nil, b.maps); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
		raw := b.Raw
		if raw == nil {
			raw = x.p.Raw
		}
		if err := x.finish(ev, rec, raw); err != nil {
			return err
		}
		x.events = append(x.events, ev)
	}
	return nil
}

// listItems returns the items of an each block's list value.
func listItems(v any) ([]any, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case []any:
		return t, nil
	case []string:
		out := make([]any, len(t))
		for i, s := range t {
			out[i] = s
		}
		return out, nil
	case []map[string]any:
		out := make([]any, len(t))
		for i, m := range t {
			out[i] = m
		}
		return out, nil
	}
	return nil, fmt.Errorf("the list expression gave %T, not a list", v)
}

// fill adds the constants, the spread map and then the mappings to ev.
func (x *Executor) fill(ev *message.Message, rec *Record, n int, set []plan.Constant, spread *plan.Expr, maps []mapping) error {
	if err := addConstants(ev, set); err != nil {
		return err
	}
	if spread != nil {
		if err := x.spread(ev, spread); err != nil {
			return fmt.Errorf("spread at %s: %w", spread.Origin, err)
		}
	}
	for i := range maps {
		if err := x.apply(ev, rec, n, &maps[i]); err != nil {
			return err
		}
	}
	return nil
}

// addConstants adds the constants of a set block to ev.
func addConstants(ev *message.Message, set []plan.Constant) error {
	for _, c := range set {
		if _, err := ev.AddWith(c.Field, c.Value, message.AddOptions{NoSanitize: true}); err != nil {
			return fmt.Errorf("set %q at %s: %w", c.Field, c.Origin, err)
		}
	}
	return nil
}

// finish adds the default fields (without overwriting) and raw: the value
// of the raw expression when there is one, else the record's exact text.
func (x *Executor) finish(ev *message.Message, rec *Record, raw *plan.Expr) error {
	for _, c := range x.p.DefaultFields {
		if _, err := ev.AddWith(c.Field, c.Value, message.AddOptions{Overwrite: message.OverwriteNo, NoSanitize: true}); err != nil {
			return fmt.Errorf("default field %q at %s: %w", c.Field, c.Origin, err)
		}
	}
	if s, t := ev.Schema(), ev.Type(); x.rawOf != s || x.rawType != t {
		f, err := s.LookupField(t, "raw")
		if err != nil {
			f = nil
		}
		x.rawField, x.rawOf, x.rawType = f, s, t
	}
	if ev.HasField(x.rawField, "raw") {
		return nil
	}
	text := rec.Raw
	if raw != nil {
		out, err := x.eval(raw)
		if err != nil {
			return fmt.Errorf("raw: %w", err)
		}
		s, ok := out.(string)
		if !ok && out != nil {
			return fmt.Errorf("raw: %w", exprError(raw, fmt.Errorf("the raw expression gave %T, not a string", out)))
		}
		text = s
	}
	if text == "" {
		return nil
	}
	if x.lent {
		return message.SetRawTextField(ev, x.rawField, text, &x.arena)
	}
	return message.SetRawText(ev, text)
}

// apply evaluates one mapping and adds its value to the first of its
// fields that accepts it.
func (x *Executor) apply(ev *message.Message, rec *Record, n int, m *mapping) error {
	src, keyed := x.memoKey(m, rec)
	if keyed {
		if done, err := x.addMemo(ev, m, src); done {
			return err
		}
	}
	if m.appends && x.lent && m.fast != nil && m.fast.op == fastConcat {
		if done, err := x.addConcatSanitized(ev, m, rec); done {
			return err
		}
	}
	v, err := x.mappedValue(rec, n, m)
	if err != nil || ignored(v) {
		return err
	}
	if done, err := x.addQuick(ev, m, v, src, keyed); done {
		return err
	}
	var last error
	for i, key := range m.Fields {
		fv, ok := v, true
		if x.converts {
			var err error
			if fv, ok, err = x.convert(key, v); err != nil {
				return m.fail(err)
			}
		}
		if !ok {
			last = &harmonization.InvalidValueError{Key: key, Value: v, Reason: "not in type_translation"}
			continue
		}
		opt := message.AddOptions{}
		if m.Overwrite {
			opt.Overwrite = message.OverwriteYes
		}
		_, err := m.add(ev, i, fv, opt)
		if err == nil {
			return nil
		}
		if !errors.Is(err, harmonization.ErrInvalidValue) {
			return m.fail(err)
		}
		last = err
	}
	if m.Required {
		return m.fail(last)
	}
	return nil
}

// add adds fv to ev under the i-th key of the mapping, with the key's
// field looked up once for all events of a schema.
func (m *mapping) add(ev *message.Message, i int, fv harmonization.Value, opt message.AddOptions) (bool, error) {
	if f := m.field(ev, i); f != nil {
		return ev.AddField(f, m.Fields[i], fv, opt)
	}
	return ev.AddWith(m.Fields[i], fv, opt)
}

// field returns the field of the mapping's i-th key in ev's schema, looked
// up once for all events of a schema, or nil when the schema refuses it.
func (m *mapping) field(ev *message.Message, i int) *harmonization.Field {
	if s, t := ev.Schema(), ev.Type(); m.fieldsOf != s || m.fieldsType != t || len(m.fields) != len(m.Fields) {
		m.fieldsOf, m.fieldsType, m.fields = s, t, m.fields[:0]
		for _, key := range m.Fields {
			f, err := s.LookupField(t, key)
			if err != nil {
				f = nil // AddWith reports the error
			}
			m.fields = append(m.fields, f)
		}
		m.appends = len(m.fields) == 1 && m.fields[0] != nil && m.fields[0].AppendsSanitized()
	}
	return m.fields[i]
}

// fail wraps the error of a mapping with its block, targets and origin.
func (m *mapping) fail(err error) error {
	var ee *ExprError
	if errors.As(err, &ee) {
		return fmt.Errorf("%s %q: %w", m.block(), strings.Join(m.Fields, "|"), err)
	}
	if o := m.Origin.String(); o != "" {
		return fmt.Errorf("%s %q at %s: %w", m.block(), strings.Join(m.Fields, "|"), o, err)
	}
	return fmt.Errorf("%s %q: %w", m.block(), strings.Join(m.Fields, "|"), err)
}

// block names the parser attribute the mapping was declared in, as the
// messages of fail show it. The columns of a generic CSV parser have no
// origin and are shown as map entries.
func (m *mapping) block() string {
	switch {
	case m.Overwrite:
		return "overwrite"
	case !m.Required && m.Origin.String() != "":
		return "optional"
	}
	return "map"
}

// mappedValue computes a mapping's value and applies its Extract and
// DecodeJSON steps.
func (x *Executor) mappedValue(rec *Record, n int, m *mapping) (harmonization.Value, error) {
	var v harmonization.Value
	var err error
	switch {
	case m.direct != nil:
		s, ok := "", false
		if x.fast && m.direct.textual() {
			s, ok = x.fastString(m.direct, rec)
		}
		if ok {
			v = harmonization.String(s)
		} else {
			v, err = valueOf(x.value(m.direct, rec, n))
		}
	case m.fast != nil:
		var ok bool
		if v, ok = x.fastValue(m.fast, rec); !ok {
			x.bindFor(m.fast, rec, n)
			var out any
			if out, err = x.eval(m.Value); err != nil {
				return v, m.fail(err)
			}
			v, err = valueOf(out)
		}
	case m.cell >= 0:
		if m.cell < len(rec.Fields) {
			v = harmonization.String(rec.Fields[m.cell])
		} else if m.strict {
			err := fmt.Errorf("index out of range: %d (array length is %d)", m.cell, len(rec.Fields))
			return v, m.fail(&ExprError{Source: m.Value.Source, Origin: m.Value.Origin, Msg: err.Error(), Err: err})
		}
	default:
		var out any
		if out, err = x.eval(m.Value); err != nil {
			return v, m.fail(err)
		}
		v, err = valueOf(out)
	}
	if err != nil {
		return v, m.fail(err)
	}
	if ignored(v) {
		return v, nil
	}
	if m.Extract != nil {
		s := v.String()
		loc := m.Extract.FindStringIndex(s)
		if loc == nil {
			return harmonization.Value{}, nil
		}
		v = harmonization.String(s[loc[0]:loc[1]])
	}
	if m.DecodeJSON && v.Kind() == harmonization.KindString {
		var j any
		if err := json.Unmarshal([]byte(v.Str()), &j); err != nil {
			return v, m.fail(fmt.Errorf("the value %q is not JSON: %w", v.Str(), err))
		}
		if v, err = harmonization.FromAny(j); err != nil {
			return v, m.fail(err)
		}
	}
	return v, nil
}

// ignored reports whether IntelMQ's add ignores v: None, "", "-", "N/A".
func ignored(v harmonization.Value) bool {
	switch v.Kind() {
	case harmonization.KindNone:
		return true
	case harmonization.KindString:
		s := v.Str()
		return s == "" || s == "-" || s == "N/A"
	}
	return false
}

// convert applies the generic CSV conversions of the parser to a value
// bound for key. ok is false when type_translation makes key refuse it.
func (x *Executor) convert(key string, v harmonization.Value) (_ harmonization.Value, ok bool, err error) {
	c := &x.p.Convert
	switch {
	case key == "time.source" && c.TimeFormat != "":
		switch v.Kind() {
		case harmonization.KindString, harmonization.KindInt, harmonization.KindFloat:
			s, err := datetime.Convert(c.TimeFormat, v.String())
			if err != nil {
				return v, false, err
			}
			return harmonization.String(s), true, nil
		}
	case c.DefaultURLProtocol != "" && strings.HasSuffix(key, ".url") && v.Kind() == harmonization.KindString:
		if !strings.Contains(v.Str(), "://") {
			return harmonization.String(c.DefaultURLProtocol + v.Str()), true, nil
		}
	case key == "classification.type" && len(c.TypeTranslation) > 0:
		if t, found := c.TypeTranslation[v.String()]; found {
			return harmonization.String(t), true, nil
		}
		return v, c.KeepUntranslated, nil
	}
	return v, true, nil
}

// eval runs a program on the current environment.
func (x *Executor) eval(e *plan.Expr) (any, error) {
	out, err := x.vm.Run(e.Program, x.env)
	if err != nil {
		return nil, exprError(e, err)
	}
	return out, nil
}

// evalBool runs a condition; nil counts as false.
func (x *Executor) evalBool(e *plan.Expr) (bool, error) {
	out, err := x.eval(e)
	if err != nil {
		return false, err
	}
	switch b := out.(type) {
	case bool:
		return b, nil
	case nil:
		return false, nil
	}
	return false, exprError(e, fmt.Errorf("the condition gave %T, not a bool", out))
}
