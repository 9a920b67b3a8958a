// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// lowerFeeds resolves each feed's parser and collector and checks its
// feed.* values against the schema.
func (c *compiler) lowerFeeds() {
	for _, name := range names(c.decl.feeds) {
		lf := c.decl.feeds[name]
		f := &plan.Feed{Name: lf.Name, FeedName: lf.Name, Accuracy: 100, Origin: origin(lf.DeclRange)}
		c.feedString(lf.FeedName, "feed.name", &f.FeedName)
		c.feedString(lf.Provider, "feed.provider", &f.Provider)
		c.feedString(lf.Code, "feed.code", &f.Code)
		c.feedString(lf.Documentation, "feed.documentation", &f.Documentation)
		if lf.Description != nil {
			f.Doc = lf.Description.Value
		}
		if lf.Accuracy != nil {
			if k, ok := c.constant("feed.accuracy", lf.Accuracy.Range, cty.NumberFloatVal(lf.Accuracy.Value), lf.Accuracy.Range); ok {
				f.Accuracy = k.Value.Float()
			}
		}
		if lf.Parser != nil && lf.Parser.Kind == schema.KindBot {
			f.ParserBot = c.botRef(lf.Parser, plan.KindParser, "a parser: a parser block or a Go parser bot", "parser")
		} else if c.resolveRef(lf.Parser) {
			f.Parser = c.parsers[lf.Parser.Name]
		}
		if lc := lf.Collect; lc != nil {
			feed := &botapi.Feed{Name: f.FeedName, Provider: f.Provider, Accuracy: f.Accuracy,
				Code: f.Code, Documentation: f.Documentation}
			if feed.Name == "" {
				feed.Name = f.Name
			}
			f.Collector = c.lowerBot(botCall{
				name: lf.Name, id: "collector." + lc.Bot, kind: botapi.KindCollector,
				idRange: lc.BotRange, params: lc.Params, decl: lc.DeclRange, feed: feed,
			})
		}
		f.IntelMQ = c.intelmqRef(lf)
		c.feeds[name] = f
		c.plan.Feeds = append(c.plan.Feeds, f)
	}
}

// feedString checks a feed.* string value and stores it in dst.
func (c *compiler) feedString(s *lang.String, key string, dst *string) {
	if s == nil {
		return
	}
	if k, ok := c.constant(key, s.Range, cty.StringVal(s.Value), s.Range); ok {
		*dst = k.Value.Str()
	}
}

func (c *compiler) intelmqRef(lf *lang.Feed) *plan.IntelMQRef {
	if lf.IntelMQModule == nil && lf.IntelMQParameters == nil {
		return nil
	}
	ref := &plan.IntelMQRef{Parameters: map[string]any{}}
	if lf.IntelMQModule != nil {
		ref.Module = lf.IntelMQModule.Value
	}
	if lf.IntelMQParameters != nil {
		for _, e := range lf.IntelMQParameters.Entries {
			ref.Parameters[e.Key], _ = goValue(e.Value)
		}
	}
	return ref
}
