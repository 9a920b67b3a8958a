// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/lang/schema"
)

func (d *decoder) decodePipeline(b *hcl.Block, s *schema.Block) (*Pipeline, hcl.Diagnostics) {
	content, diags := b.Body.Content(bodySchema(s))
	diags = append(diags, checkName(b, 0)...)
	p := &Pipeline{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	var more hcl.Diagnostics
	p.Feeds, more = d.refList(content.Attributes["feeds"], s.Attr("feeds").Refs)
	diags = append(diags, more...)
	p.Experts, more = d.refList(content.Attributes["experts"], s.Attr("experts").Refs)
	diags = append(diags, more...)
	rs := s.Block("route")
	for _, rb := range content.Blocks {
		r, more := d.decodeRoute(rb, rs)
		diags = append(diags, more...)
		p.Routes = append(p.Routes, r)
	}
	return p, diags
}

func (d *decoder) decodeRoute(b *hcl.Block, s *schema.Block) (*Route, hcl.Diagnostics) {
	content, diags := b.Body.Content(bodySchema(s))
	r := &Route{DeclRange: b.DefRange}
	a := content.Attributes
	var more hcl.Diagnostics
	r.Name, more = d.str(a["name"])
	diags = append(diags, more...)
	r.When, more = d.expr(a["when"])
	diags = append(diags, more...)
	r.To, more = d.refList(a["to"], s.Attr("to").Refs)
	diags = append(diags, more...)
	r.Drop, more = d.boolean(a["drop"])
	diags = append(diags, more...)
	switch {
	case r.Drop != nil && r.Drop.Value && r.To != nil && len(r.To.Refs) > 0:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting route actions",
			Detail:   "A route either sends events somewhere (to) or discards them (drop = true), not both. Remove one of them.",
			Subject:  a["drop"].Range.Ptr(),
		})
	case (r.Drop == nil || !r.Drop.Value) && (r.To == nil || len(r.To.Refs) == 0):
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Route without destination",
			Detail:   "A route needs destinations (to = [output.name]) or drop = true to discard the events it takes.",
			Subject:  b.DefRange.Ptr(),
		})
	}
	return r, diags
}
