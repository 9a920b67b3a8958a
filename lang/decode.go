// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/lang/schema"
)

// bodySchema derives the hcl.BodySchema of a block kind from lang/schema.
func bodySchema(b *schema.Block) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, a := range b.Attrs {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a.Name, Required: a.Required})
	}
	for _, c := range b.Blocks {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: c.Type, LabelNames: c.Labels})
	}
	return s
}

// decoder decodes the blocks of one file; src is the file's bytes, used to
// map expression offsets.
type decoder struct {
	src []byte
}

// value evaluates a static attribute expression.
func value(attr *hcl.Attribute) (cty.Value, hcl.Diagnostics) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return cty.DynamicVal, staticOnly(attr, diags)
	}
	if !v.IsWhollyKnown() {
		return cty.DynamicVal, staticOnly(attr, nil)
	}
	return v, nil
}

// staticOnly rewrites the evaluation errors of a static attribute into one
// diagnostic that says what is allowed.
func staticOnly(attr *hcl.Attribute, diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		if d.Summary != "Variables not allowed" && d.Summary != "Function calls not allowed" {
			return diags
		}
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid value",
		Detail: fmt.Sprintf("The attribute %q takes a constant value, without variables or function calls. "+
			"Expressions over the record are strings, e.g. \"lower(name)\"; to write a literal \"${\" in a string, escape it as \"$${\".", attr.Name),
		Subject: attr.Expr.Range().Ptr(),
	}}
}

func typeError(attr *hcl.Attribute, want schema.Type, err error) hcl.Diagnostics {
	detail := fmt.Sprintf("The attribute %q must be a %s", attr.Name, want)
	if err != nil {
		detail += ": " + err.Error()
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Incorrect attribute value type",
		Detail:   detail + ".",
		Subject:  attr.Expr.Range().Ptr(),
	}}
}

func (d *decoder) str(attr *hcl.Attribute) (*String, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	v, diags := value(attr)
	if diags.HasErrors() {
		return nil, diags
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || s.IsNull() {
		return nil, typeError(attr, schema.String, err)
	}
	return &String{Value: s.AsString(), Range: attr.Expr.Range()}, nil
}

func (d *decoder) char(attr *hcl.Attribute) (*String, hcl.Diagnostics) {
	s, diags := d.str(attr)
	if s != nil && len([]rune(s.Value)) != 1 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid character",
			Detail:   fmt.Sprintf("The attribute %q must be exactly one character, e.g. \",\" or \"\\t\"; got %q.", attr.Name, s.Value),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return s, diags
}

func (d *decoder) num(attr *hcl.Attribute) (*Number, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	v, diags := value(attr)
	if diags.HasErrors() {
		return nil, diags
	}
	n, err := convert.Convert(v, cty.Number)
	if err != nil || n.IsNull() {
		return nil, typeError(attr, schema.Number, err)
	}
	f, _ := n.AsBigFloat().Float64()
	return &Number{Value: f, Range: attr.Expr.Range()}, nil
}

func (d *decoder) integer(attr *hcl.Attribute) (*Number, hcl.Diagnostics) {
	n, diags := d.num(attr)
	if n != nil && (n.Value != float64(int64(n.Value)) || n.Value < 0) {
		return nil, typeError(attr, schema.Int, fmt.Errorf("%v is not a whole number of zero or more", n.Value))
	}
	return n, diags
}

func (d *decoder) boolean(attr *hcl.Attribute) (*Bool, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	v, diags := value(attr)
	if diags.HasErrors() {
		return nil, diags
	}
	b, err := convert.Convert(v, cty.Bool)
	if err != nil || b.IsNull() {
		return nil, typeError(attr, schema.Bool, err)
	}
	return &Bool{Value: b.True(), Range: attr.Expr.Range()}, nil
}

// strList decodes a list of strings; a single string is a one-element list.
func (d *decoder) strList(attr *hcl.Attribute) (*StringList, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	if exprs, diags := hcl.ExprList(attr.Expr); !diags.HasErrors() {
		out := &StringList{Range: attr.Expr.Range()}
		var all hcl.Diagnostics
		for _, x := range exprs {
			s, diags := d.str(&hcl.Attribute{Name: attr.Name, Expr: x, Range: x.Range()})
			all = append(all, diags...)
			if s != nil {
				out.Values = append(out.Values, *s)
			}
		}
		return out, all
	}
	s, diags := d.str(attr)
	if diags.HasErrors() {
		return nil, typeError(attr, schema.StringList, nil)
	}
	return &StringList{Values: []String{*s}, Range: attr.Expr.Range()}, nil
}

func (d *decoder) boolList(attr *hcl.Attribute) (*BoolList, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, typeError(attr, schema.BoolList, nil)
	}
	out := &BoolList{Range: attr.Expr.Range()}
	var all hcl.Diagnostics
	for _, x := range exprs {
		b, diags := d.boolean(&hcl.Attribute{Name: attr.Name, Expr: x, Range: x.Range()})
		all = append(all, diags...)
		if b != nil {
			out.Values = append(out.Values, *b)
		}
	}
	return out, all
}

// pairs returns the key/value pairs of an object attribute with string keys.
func pairs(attr *hcl.Attribute, want schema.Type) ([]pair, hcl.Diagnostics) {
	kvs, diags := hcl.ExprMap(attr.Expr)
	if diags.HasErrors() {
		return nil, typeError(attr, want, nil)
	}
	var out []pair
	seen := map[string]hcl.Range{}
	for _, kv := range kvs {
		k, kd := kv.Key.Value(nil)
		if kd.HasErrors() || k.IsNull() || !k.IsKnown() || k.Type() != cty.String {
			// hcl reads a bare word key as a string; anything else is wrong.
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Invalid key",
				Detail:  fmt.Sprintf("The keys of %q must be constant strings, e.g. \"source.ip\".", attr.Name),
				Subject: kv.Key.Range().Ptr(),
			})
			continue
		}
		key := k.AsString()
		if first, dup := seen[key]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Duplicate key",
				Detail:  fmt.Sprintf("The key %q was already given at %s; each key may appear once.", key, at(first)),
				Subject: kv.Key.Range().Ptr(),
			})
			continue
		}
		seen[key] = kv.Key.Range()
		out = append(out, pair{key: key, keyRange: kv.Key.Range(), value: kv.Value})
	}
	return out, diags
}

type pair struct {
	key      string
	keyRange hcl.Range
	value    hcl.Expression
}

func (d *decoder) stringMap(attr *hcl.Attribute) (*StringMap, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	ps, diags := pairs(attr, schema.StringMap)
	out := &StringMap{Range: attr.Expr.Range()}
	for _, p := range ps {
		s, sd := d.str(&hcl.Attribute{Name: p.key, Expr: p.value, Range: p.value.Range()})
		diags = append(diags, sd...)
		if s != nil {
			out.Entries = append(out.Entries, StringEntry{Key: p.key, KeyRange: p.keyRange, Value: *s})
		}
	}
	return out, diags
}

func (d *decoder) valueMap(attr *hcl.Attribute) (*ValueMap, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	ps, diags := pairs(attr, schema.ValueMap)
	out := &ValueMap{Range: attr.Expr.Range()}
	for _, p := range ps {
		v, vd := value(&hcl.Attribute{Name: p.key, Expr: p.value, Range: p.value.Range()})
		diags = append(diags, vd...)
		if !vd.HasErrors() {
			out.Entries = append(out.Entries, ValueEntry{Key: p.key, KeyRange: p.keyRange, Value: v, Range: p.value.Range()})
		}
	}
	return out, diags
}

func (d *decoder) expr(attr *hcl.Attribute) (*Expr, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	s, diags := d.str(attr)
	if diags.HasErrors() {
		if diags[0].Summary == "Incorrect attribute value type" {
			diags[0].Detail = fmt.Sprintf("The attribute %q must be an expression written as a string, e.g. \"lower(name)\".", attr.Name)
		}
		return nil, diags
	}
	return newExpr(s.Value, attr.Expr, d.src), nil
}

func (d *decoder) exprMap(attr *hcl.Attribute) (*ExprMap, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	ps, diags := pairs(attr, schema.ExprMap)
	out := &ExprMap{Range: attr.Expr.Range()}
	for _, p := range ps {
		e, ed := d.expr(&hcl.Attribute{Name: p.key, Expr: p.value, Range: p.value.Range()})
		diags = append(diags, ed...)
		if e != nil {
			out.Entries = append(out.Entries, ExprEntry{Key: p.key, KeyRange: p.keyRange, Expr: e})
		}
	}
	return out, diags
}

// ref decodes a reference such as parser.x, checking its kind against kinds.
func (d *decoder) ref(x hcl.Expression, attrName string, kinds []string) (*Ref, hcl.Diagnostics) {
	trav, diags := hcl.AbsTraversalForExpr(x)
	if diags.HasErrors() || len(trav) != 2 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Invalid reference",
			Detail: fmt.Sprintf("The attribute %q takes references written as kind.name, such as %s.example, without quotes.",
				attrName, kinds[0]),
			Subject: x.Range().Ptr(),
		}}
	}
	kind := trav.RootName()
	name, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Invalid reference",
			Detail:  fmt.Sprintf("A reference is written kind.name, such as %s.example.", kinds[0]),
			Subject: x.Range().Ptr(),
		}}
	}
	if !contains(kinds, kind) {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Invalid reference",
			Detail: fmt.Sprintf("The attribute %q may refer to %s, not to a %s.%s",
				attrName, orList(kinds), kind, didyoumean.Suffix(kind, kinds)),
			Subject: trav[0].SourceRange().Ptr(),
		}}
	}
	return &Ref{Kind: kind, Name: name.Name, Range: x.Range()}, nil
}

func (d *decoder) refAttr(attr *hcl.Attribute, kinds []string) (*Ref, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	return d.ref(attr.Expr, attr.Name, kinds)
}

func (d *decoder) refList(attr *hcl.Attribute, kinds []string) (*RefList, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil
	}
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Invalid reference list",
			Detail:  fmt.Sprintf("The attribute %q takes a list of references, such as [%s.example].", attr.Name, kinds[0]),
			Subject: attr.Expr.Range().Ptr(),
		}}
	}
	out := &RefList{Range: attr.Expr.Range()}
	for _, x := range exprs {
		r, rd := d.ref(x, attr.Name, kinds)
		diags = append(diags, rd...)
		if r != nil {
			out.Refs = append(out.Refs, r)
		}
	}
	return out, diags
}

// params decodes an open body into bot parameters, in source order.
func (d *decoder) params(body hcl.Body) ([]*Param, hcl.Diagnostics) {
	attrs, diags := body.JustAttributes()
	var out []*Param
	for _, a := range attrs {
		out = append(out, &Param{Name: a.Name, NameRange: a.NameRange, Expr: a.Expr, Range: a.Range})
	}
	sortParams(out)
	return out, diags
}

func sortParams(ps []*Param) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Range.Start.Byte < ps[j-1].Range.Start.Byte; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// orList writes "a", "a or b", "a, b or c" with each item suffixed ".name".
func orList(kinds []string) string {
	items := make([]string, len(kinds))
	for i, k := range kinds {
		items[i] = k + ".<name>"
	}
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
