// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// BadRecord is a record that produced no event because a step failed: its
// syntax, an expression, a constant or a field value. The caller dumps it
// and sends it to the parser's _on_error path; processing goes on.
type BadRecord struct {
	// Line is the 1-based line of the report's text the record starts on.
	Line int
	// Raw is the exact text of the record, without its line terminator.
	Raw string
	// Prefix is the exact text of the lines the reader skipped at the start
	// and of the header row. Prefix+Raw is a self-contained report that the
	// same parser reads back to this one record.
	Prefix string
	// Err says what failed.
	Err error
}

// Report returns Prefix+Raw: the raw data of a report holding this record
// alone, for the dump and the _on_error path.
func (b BadRecord) Report() string { return b.Prefix + b.Raw }

// Stats counts what one Run did.
type Stats struct {
	Records int // records read
	Events  int // events emitted
	Bad     int // bad records
	Skipped int // records the parser's skip condition or text filter dropped
}

// ErrNoRaw is returned by Run for a report without raw data. IntelMQ logs
// a warning and acknowledges such a report.
var ErrNoRaw = errors.New("the report has no raw field")

// Executor runs one compiled parser. It keeps the expression environment,
// the VM and scratch space between records and reports, so it is not safe
// for concurrent use: use one Executor per goroutine.
type Executor struct {
	p       *plan.Parser
	vars    []*envVar
	byName  map[string]*envVar
	env     map[string]any
	vm      vm.VM
	skip    *plan.Expr
	set     []plan.Constant
	maps    []mapping
	each    []eachBlock
	allVars bool // a program reads $env: bind every variable
	// textVars are the variables of the report's text by kind.
	textVars map[varKind]*envVar
	// keepComments, needWhole and needNewline say what the used text
	// variables need: the comment lines, the whole text, the line ending.
	keepComments, needWhole, needNewline bool
	// fast enables the fast shapes of expressions (fastShape).
	fast bool
	// converts says the parser has generic CSV conversions (convert).
	converts bool
	// lower and upper remember the case conversions of fast expressions.
	lower, upper caseCache
	// arena holds the raw (base64) and the other texts the executor
	// writes itself of lent events, scratch is space to write them.
	arena   harmonization.Arena
	scratch []byte
	// concat is space for a value addConcatSanitized sanitizes.
	concat []byte
	// rawField is the raw field in the schema rawOf for the message type
	// rawType, nil when the schema refuses raw.
	rawField *harmonization.Field
	rawOf    *harmonization.Schema
	rawType  harmonization.MessageType

	// Per-report state.
	columns  []string
	resolved bool
	recMap   map[string]string
	kv       map[string]string
	events   []*message.Message
	filter   []byte
	reader   Reader
	text     reportText
	// filterText is the CSV text filter's text.
	filterText []byte
	// lent says the events are lent to emit (RunLent): they come from pool,
	// of which the current record uses the first npool.
	lent  bool
	pool  []*message.Message
	npool int
	// poolBase is the template each pooled event was last reset to;
	// addsOnly says the executor only adds fields to an event made from
	// a template, never overwriting or deleting one (no overwriting
	// mapping, no spread, no each block), so that an event whose
	// poolBase is the template is cut back to it without comparing.
	poolBase []*message.Message
	addsOnly bool
	// recSet is the parser's constants still to add per record: none when
	// they are in the report's event template already.
	recSet []plan.Constant
}

// mapping is a plan.Mapping with its fast paths: a mapping whose
// expression only reads a variable or a cell of "row", or has one of the
// fast shapes (fastShape), is computed without the VM.
type mapping struct {
	*plan.Mapping
	// direct, when set, is the variable the expression is.
	direct *envVar
	// fast, when set, is the fast shape of the expression.
	fast *fastExpr
	// fields holds the field of each key in the schema fieldsOf for the
	// message type fieldsType, nil for a key the schema refuses.
	fields     []*harmonization.Field
	fieldsOf   *harmonization.Schema
	fieldsType harmonization.MessageType
	// cell >= 0 is the index of the row cell the expression is; strict
	// makes a missing cell an error (row[N]) rather than nil (get(row, N)).
	cell   int
	strict bool
	// memo remembers checked values, appends says the field's sanitized
	// text can be written to the arena (see addQuick).
	memo    valueMemo
	appends bool
	// quick and memoVar are what prepareQuick decided.
	quick   bool
	memoVar *envVar
}

// eachBlock is a plan.Each with its mappings prepared.
type eachBlock struct {
	*plan.Each
	maps []mapping
}

// New prepares p for execution.
func New(p *plan.Parser) (*Executor, error) { return newExecutor(p, true) }

// newExecutor is New; fast false makes every expression run on the VM
// (tests compare the two).
func newExecutor(p *plan.Parser, fast bool) (*Executor, error) {
	x := &Executor{p: p, fast: fast, byName: map[string]*envVar{}, env: make(map[string]any, len(p.Vars)+len(p.Consts)),
		skip: p.Skip, set: p.Set, recMap: map[string]string{}, kv: map[string]string{},
		textVars: map[varKind]*envVar{}}
	textVars := map[string]bool{}
	for _, n := range p.TextVars {
		textVars[n] = true
	}
	for _, v := range p.Vars {
		ev := &envVar{name: v.Name, kind: varColumn, col: -1}
		if k, ok := wellKnown(v.Name); ok {
			ev.kind = k
		} else if k, ok := textVar(v.Name); ok && textVars[v.Name] {
			ev.kind = k
			x.textVars[k] = ev
		}
		x.vars = append(x.vars, ev)
		x.byName[v.Name] = ev
		x.env[v.Name] = v.Type.Zero()
	}
	for _, c := range p.Consts {
		ev, ok := x.byName[c.Name]
		if !ok {
			ev = &envVar{name: c.Name}
			x.vars = append(x.vars, ev)
			x.byName[c.Name] = ev
		}
		ev.kind = varConst
		x.env[c.Name] = c.Value
	}
	ids := identifiers{}
	ids.add(p.Skip)
	ids.add(p.Raw)
	ids.add(p.Spread)
	for _, r := range p.Reject {
		ids.add(r.When)
	}
	c := &p.Convert
	x.converts = c.TimeFormat != "" || c.DefaultURLProtocol != "" || len(c.TypeTranslation) > 0
	x.maps = x.prepare(p.Map, ids)
	for _, b := range p.Each {
		ids.add(b.List)
		ids.add(b.Skip)
		ids.add(b.Raw)
		x.each = append(x.each, eachBlock{Each: b, maps: x.prepare(b.Map, ids)})
	}
	if in := p.Input; in.Format == plan.FormatCSV && in.CSV != nil && in.CSV.Filter != nil {
		x.filterText = []byte(in.CSV.Filter.Text)
	}
	x.addsOnly = p.Spread == nil && len(p.Each) == 0
	for _, m := range p.Map {
		x.addsOnly = x.addsOnly && !m.Overwrite
	}
	x.allVars = ids["$env"]
	for _, v := range x.vars {
		v.used = x.allVars || ids[v.name]
	}
	used := func(k varKind) bool { return x.textVars[k] != nil && x.textVars[k].used }
	x.keepComments = used(varComments)
	x.needWhole = used(varText) || used(varLineEnd)
	x.needNewline = used(varNewline) || used(varHeader)
	if err := x.check(); err != nil {
		return nil, fmt.Errorf("parser %q: %w", p.Name, err)
	}
	return x, nil
}

// prepare finds the mappings that read one variable directly and collects
// the identifiers of the others.
func (x *Executor) prepare(ms []*plan.Mapping, ids identifiers) []mapping {
	out := make([]mapping, 0, len(ms))
	csv := x.p.Input.Format == plan.FormatCSV || x.p.Input.Format == plan.FormatHTMLTable
	for _, m := range ms {
		pm := mapping{Mapping: m, cell: -1}
		if name, ok := bareIdentifier(m.Value); ok && x.byName[name] != nil && x.byName[name].direct() {
			pm.direct = x.byName[name]
		} else if i, strict, ok := rowIndex(m.Value); ok && csv && x.byName[plan.VarNameRow] != nil {
			pm.cell, pm.strict = i, strict
		} else if f, ok := fastShape(m.Value, x.byName); ok && x.fast {
			pm.fast = f
		} else {
			ids.add(m.Value)
		}
		x.prepareQuick(&pm)
		out = append(out, pm)
	}
	return out
}

// check rejects plans the executor cannot run.
func (x *Executor) check() error {
	exprs := []*plan.Expr{x.p.Skip, x.p.Raw, x.p.Spread}
	for _, r := range x.p.Reject {
		if r.When == nil {
			return fmt.Errorf("reject block at %s has no condition", r.Origin)
		}
		exprs = append(exprs, r.When)
	}
	for _, m := range x.p.Map {
		if m.Value == nil {
			return fmt.Errorf("mapping of %q at %s has no expression", m.Fields, m.Origin)
		}
		exprs = append(exprs, m.Value)
	}
	for _, b := range x.p.Each {
		if b.List == nil {
			return fmt.Errorf("each block at %s has no list", b.Origin)
		}
		exprs = append(exprs, b.List, b.Skip, b.Raw)
		for _, m := range b.Map {
			if m.Value == nil {
				return fmt.Errorf("mapping of %q at %s has no expression", m.Fields, m.Origin)
			}
			exprs = append(exprs, m.Value)
		}
	}
	for _, e := range exprs {
		if e != nil && e.Program == nil {
			return fmt.Errorf("expression %q at %s is not compiled", e.Source, e.Origin)
		}
	}
	if x.p.Input.Format == plan.FormatCSV && x.p.Input.CSV == nil {
		return errors.New("the csv input has no options")
	}
	if x.p.Input.Format == plan.FormatHTMLTable && x.p.Input.HTML == nil {
		return errors.New("the html_table input has no options")
	}
	return nil
}

// Run is New(p) followed by Executor.Run, for a single report.
func Run(ctx context.Context, p *plan.Parser, report *message.Message,
	emit func(*message.Message) error, bad func(BadRecord)) (Stats, error) {
	x, err := New(p)
	if err != nil {
		return Stats{}, err
	}
	return x.Run(ctx, report, emit, bad)
}

// Run parses report: it splits the report's raw data into records and
// calls emit with the events of each record, in order, once the record has
// succeeded as a whole, and bad with each record that failed. emit owns the
// events it is given.
//
// Run returns an error, after which no more records are read, when the
// report has no raw data (ErrNoRaw), when its data cannot be split at all
// (an invalid JSON document, a CSV header that does not match the declared
// columns), when emit returns an error, or when ctx is done. The events of
// the records before the failure have been emitted by then.
func (x *Executor) Run(ctx context.Context, report *message.Message,
	emit func(*message.Message) error, bad func(BadRecord)) (Stats, error) {
	return x.run(ctx, report, emit, bad, false)
}

// RunLent is Run with the events lent to emit rather than given: an event
// is valid only until emit returns, after which the executor reuses its
// storage for a later event, so emit must neither keep nor modify it (it
// may keep the Values it reads: they are immutable). A caller that encodes
// each event at once, as the bot runner does, saves an allocation per
// event.
func (x *Executor) RunLent(ctx context.Context, report *message.Message,
	emit func(*message.Message) error, bad func(BadRecord)) (Stats, error) {
	return x.run(ctx, report, emit, bad, true)
}

// run is Run, with the events lent when lent is true.
func (x *Executor) run(ctx context.Context, report *message.Message,
	emit func(*message.Message) error, bad func(BadRecord), lent bool) (Stats, error) {
	var st Stats
	src, err := reportSource(report)
	if err != nil {
		return st, err
	}
	if src, err = x.prepareText(report, src); err != nil {
		return st, err
	}
	x.bindReport(report)
	if err := x.reject(); err != nil {
		return st, err
	}
	r, err := newReader(x.p.Input, src, x.keepComments)
	if err != nil {
		return st, err
	}
	x.reader, x.lent = r, lent
	defer x.endRun()
	x.columns, x.resolved = nil, false
	tmpl := x.template(report)
	for {
		if st.Records&255 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		rec, err := r.Next()
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, err
		}
		if !x.resolved {
			if err := x.resolve(r); err != nil {
				return st, err
			}
		}
		st.Records++
		if rec.Err == nil && x.filtered(rec) {
			st.Skipped++
			continue
		}
		events, err := x.record(rec, st.Records, tmpl)
		if err != nil {
			st.Bad++
			if bad != nil {
				bad(BadRecord{Line: rec.Line, Raw: rec.Raw, Prefix: r.Prefix(), Err: err})
			}
			continue
		}
		if len(events) == 0 {
			st.Skipped++
			continue
		}
		for i, ev := range events {
			if !lent {
				events[i] = nil
			}
			if err := emit(ev); err != nil {
				return st, err
			}
			st.Events++
		}
	}
}

// template returns the event every record's events start from: what
// IntelMQ copies from the report, then the parser's constants when they can
// be added once for the report (as they are the same for every record).
// When a constant fails, every record adds them itself and fails so.
func (x *Executor) template(report *message.Message) *message.Message {
	tmpl := message.EventFromReport(report, x.p.CopyCollectorProvidedFields)
	x.recSet = x.set
	if len(x.set) == 0 {
		return tmpl
	}
	withSet := tmpl.Clone()
	if err := addConstants(withSet, x.set); err != nil {
		return tmpl
	}
	x.recSet = nil
	return withSet
}

// endRun drops what a run referred to: the reader, the report's text and
// the values of the reused events.
func (x *Executor) endRun() {
	x.reader, x.text = nil, reportText{}
	for _, ev := range x.pool {
		ev.Reset()
	}
	clear(x.poolBase)
	clear(x.events)
	x.npool = 0
}

// newEvent returns a copy of base for a new event of the record: a new
// message, or with lent events the next one of the pool.
func (x *Executor) newEvent(base *message.Message) *message.Message {
	if !x.lent {
		return base.Clone()
	}
	switch i := x.npool; {
	case i == len(x.pool):
		x.pool, x.poolBase = append(x.pool, base.Clone()), append(x.poolBase, base)
	case x.addsOnly && x.poolBase[i] == base:
		x.pool[i].CutBackTo(base)
	default:
		x.pool[i].ResetTo(base)
		x.poolBase[i] = base
	}
	x.npool++
	return x.pool[x.npool-1]
}

// reportSource returns the report's raw data as a text source: decoded
// piece by piece when raw is canonical base64, so that the decoded text is
// never held whole, else decoded at once with IntelMQ's leniency. Invalid
// UTF-8 bytes are dropped, as IntelMQ's base64_decode does.
func reportSource(report *message.Message) (textSource, error) {
	v, ok := report.Get("raw")
	if !ok {
		return nil, ErrNoRaw
	}
	if c, ok := newB64Chunks(v.Str()); ok {
		return c, nil
	}
	text, err := report.RawText()
	if err != nil {
		return nil, err
	}
	return &wholeText{s: text}, nil
}

// wholeReport reads all of src into one string, for the JSON reader, which
// needs the whole document.
func wholeReport(src textSource) string {
	if w, ok := src.(*wholeText); ok {
		return w.s
	}
	var b strings.Builder
	if c, ok := src.(*b64Chunks); ok {
		b.Grow(len(c.b64) / 4 * 3)
	}
	for {
		s, ok := src.next()
		if !ok {
			return b.String()
		}
		b.WriteString(s)
	}
}

// resolve binds the column variables to field positions once the reader
// knows its columns (after a CSV header row).
func (x *Executor) resolve(r Reader) error {
	cols, err := columnNames(x.p.Input, r)
	if err != nil {
		return err
	}
	x.columns, x.resolved = cols, true
	x.setText(varHeader, headerText(r.Prefix(), x.text.newline))
	clear(x.recMap)
	pos := make(map[string]int, len(cols))
	for i, c := range cols {
		if _, dup := pos[c]; !dup {
			pos[c] = i
		}
	}
	for _, v := range x.vars {
		if v.kind != varColumn {
			continue
		}
		v.col = -1
		if i, ok := pos[v.name]; ok {
			v.col = i
		}
	}
	return nil
}

// bindReport sets the "report" variable.
func (x *Executor) bindReport(report *message.Message) {
	v := x.byName[plan.VarNameReport]
	if v == nil || !v.used {
		return
	}
	m := make(map[string]any, report.Len())
	report.Range(func(key string, val harmonization.Value) bool {
		if key != "raw" {
			m[key] = val.Any()
		}
		return true
	})
	x.env[plan.VarNameReport] = m
}

// filtered applies the CSV text filter (IntelMQ's filter_text and
// filter_type) and reports whether the record is dropped.
func (x *Executor) filtered(rec *Record) bool {
	in := x.p.Input
	if in.Format != plan.FormatCSV || in.CSV.Filter == nil {
		return false
	}
	delim := in.CSV.Delimiter
	if delim == 0 {
		delim = ','
	}
	x.filter = x.filter[:0]
	for i, f := range rec.Fields {
		if i > 0 {
			x.filter = utf8.AppendRune(x.filter, delim)
		}
		x.filter = append(x.filter, f...)
	}
	found := bytes.Contains(x.filter, x.filterText)
	return found != in.CSV.Filter.Keep
}

// exprError describes a failed expression without expr's multi-line
// snippet: the caller prints one line per bad record.
func exprError(e *plan.Expr, err error) error {
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	}
	return &ExprError{Source: e.Source, Origin: e.Origin, Msg: msg, Err: err}
}

// ExprError is an expression that failed on a record.
type ExprError struct {
	Source string      // the expression text
	Origin plan.Origin // where it is declared
	Msg    string      // expr's message, one line
	Err    error       // expr's error
}

// Error returns "expression "lower(x)" at file:line:col: message".
func (e *ExprError) Error() string {
	if o := e.Origin.String(); o != "" {
		return fmt.Sprintf("expression %q at %s: %s", e.Source, o, e.Msg)
	}
	return fmt.Sprintf("expression %q: %s", e.Source, e.Msg)
}

// Unwrap returns expr's error.
func (e *ExprError) Unwrap() error { return e.Err }
