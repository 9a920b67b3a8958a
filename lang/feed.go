// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/lang/schema"
)

func (d *decoder) decodeFeed(b *hcl.Block, s *schema.Block) (*Feed, hcl.Diagnostics) {
	content, diags := b.Body.Content(bodySchema(s))
	f := &Feed{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	diags = append(diags, checkName(b, 0)...)
	a := content.Attributes
	var more hcl.Diagnostics
	collect := func(ds hcl.Diagnostics) { diags = append(diags, ds...) }
	f.Provider, more = d.str(a["provider"])
	collect(more)
	f.FeedName, more = d.str(a["name"])
	collect(more)
	f.Accuracy, more = d.num(a["accuracy"])
	collect(more)
	f.Code, more = d.str(a["code"])
	collect(more)
	f.Documentation, more = d.str(a["documentation"])
	collect(more)
	f.Description, more = d.str(a["description"])
	collect(more)
	f.Parser, more = d.refAttr(a["parser"], s.Attr("parser").Refs)
	collect(more)
	f.IntelMQModule, more = d.str(a["intelmq_module"])
	collect(more)
	f.IntelMQParameters, more = d.valueMap(a["intelmq_parameters"])
	collect(more)
	collect(checkSingle(content.Blocks, s))
	for _, cb := range content.Blocks {
		if cb.Type != "collect" || f.Collect != nil {
			continue
		}
		params, pd := d.params(cb.Body)
		collect(pd)
		f.Collect = &Collect{Bot: cb.Labels[0], BotRange: cb.LabelRanges[0], Params: params, DeclRange: cb.DefRange}
	}
	return f, diags
}

func (d *decoder) decodeBot(b *hcl.Block) (*Bot, hcl.Diagnostics) {
	params, diags := d.params(b.Body)
	diags = append(diags, checkName(b, 1)...)
	return &Bot{
		Kind: b.Type, Type: b.Labels[0], Name: b.Labels[1],
		TypeRange: b.LabelRanges[0], NameRange: b.LabelRanges[1],
		Params: params, DeclRange: b.DefRange,
	}, diags
}
