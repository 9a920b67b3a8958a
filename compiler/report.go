// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
)

// rejectNote ends the diagnostic of a name a reject condition cannot see,
// which sees the names listed.
func rejectNote(names []string) string {
	return fmt.Sprintf(" A reject condition is checked once per report, before any record is read: it sees %s "+
		"and the parser's let names, not the records' columns or keys.", strings.Join(names, ", "))
}

// declareReportVars declares the variables of the report's text that no
// column, key or constant of the parser already names, and returns them.
func declareReportVars(sc *scope) map[string]bool {
	out := map[string]bool{}
	for _, n := range plan.ReportVars() {
		if sc.has(n) {
			continue
		}
		sc.set(n, plan.VarString)
		out[n] = true
	}
	return out
}

// usedReportVars returns, sorted, the declared variables of the report's
// text that the expressions read, and removes the others from sc: only
// those are bound at run time.
func usedReportVars(sc *scope, declared map[string]bool) []string {
	var out []string
	for _, n := range plan.ReportVars() {
		if !declared[n] {
			continue
		}
		if !sc.used[n] {
			delete(sc.types, n)
			continue
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// rejects compiles the parser's reject blocks in the scope of the report:
// report, text, newline and the constants. The names they read count as
// used in sc.
func (c *compiler) rejects(lp *lang.Parser, p *plan.Parser, sc *scope, reportVars map[string]bool) []*plan.Reject {
	if len(lp.Reject) == 0 {
		return nil
	}
	rs := newScope("")
	rs.used = sc.used
	rs.set(plan.VarNameReport, plan.VarMap)
	for _, k := range p.Consts {
		rs.setValue(k.Name, k.Type, k.Value)
	}
	seen := []string{plan.VarNameReport}
	for _, n := range []string{plan.VarNameText, plan.VarNameNewline} {
		if reportVars[n] {
			rs.set(n, plan.VarString)
			seen = append(seen, n)
		}
	}
	rs.note = rejectNote(seen)
	var out []*plan.Reject
	for _, r := range lp.Reject {
		if r.When == nil {
			continue // lang reported the missing condition
		}
		x := c.condition(r.When, rs, "reject")
		if x == nil {
			continue
		}
		msg := fmt.Sprintf("the reject condition %q holds", r.When.Source)
		if r.Message != nil {
			msg = r.Message.Value
		}
		out = append(out, &plan.Reject{When: x, Message: msg, Origin: origin(r.DeclRange)})
	}
	return out
}

// overwrites compiles the overwrite mappings: required mappings that
// replace the value an event already has.
func (c *compiler) overwrites(m *lang.ExprMap, sc *scope, fs fieldSet) []*plan.Mapping {
	if m == nil {
		return nil
	}
	var out []*plan.Mapping
	for _, e := range m.Entries {
		if strings.Contains(e.Key, "|") {
			c.errorf(e.KeyRange, "Alternatives in overwrite", fmt.Sprintf(
				"The key %q lists alternative fields, but overwrite replaces the value of one field. "+
					"Name a single field, e.g. %q.", e.Key, strings.TrimSpace(strings.Split(e.Key, "|")[0])))
			continue
		}
		if mp := c.mapping(e.Key, e.KeyRange, e.Expr, sc, fs); mp != nil {
			mp.Overwrite = true
			out = append(out, mp)
		}
	}
	return out
}

// spread compiles a spread attribute: an expression giving a map of field
// → value.
func (c *compiler) spread(e *lang.Expr, sc *scope) *plan.Expr {
	if e == nil {
		return nil
	}
	x := c.compileExpr(e, sc)
	if x == nil {
		return nil
	}
	switch x.Type {
	case plan.VarMap, plan.VarStringMap, plan.VarAny:
		return x
	}
	c.errorf(e.Range, "Incompatible expression type", fmt.Sprintf(
		"The spread expression %q gives a value of type %s, but spread adds the entries of a map of field → value: "+
			"it must give a map, e.g. \"record\" or \"renameKeys(record, {'feed.name': 'extra.feed_name'})\".", e.Source, x.Type))
	return nil
}

// rawExpr compiles a raw attribute: a string expression that gives the
// events' raw, claiming the field raw.
func (c *compiler) rawExpr(e *lang.Expr, sc *scope, fs fieldSet) *plan.Expr {
	if e == nil {
		return nil
	}
	x := c.compileExpr(e, sc)
	if x == nil {
		return nil
	}
	if x.Type != plan.VarString && x.Type != plan.VarAny {
		c.errorf(e.Range, "Incompatible expression type", fmt.Sprintf(
			"The raw expression %q gives a value of type %s, but raw is text: it must give a string, e.g. \"header + line\" "+
				"or \"pyJSON(record)\".", e.Source, x.Type))
		return nil
	}
	c.claim(fs, "raw", e.Range)
	return x
}
