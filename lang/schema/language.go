// SPDX-License-Identifier: AGPL-3.0-or-later

package schema

// Block kinds at the top level of a file; references name them
// ("parser.x", "output.y").
const (
	KindFeed     = "feed"
	KindParser   = "parser"
	KindExpert   = "expert"
	KindOutput   = "output"
	KindBot      = "bot"
	KindPipeline = "pipeline"
)

// Input format block types of a parser.
const (
	FormatCSV       = "csv"
	FormatJSON      = "json"
	FormatJSONLines = "jsonlines"
	FormatLines     = "lines"
	FormatKeyValue  = "keyvalue"
	FormatHTMLTable = "html_table"
)

// File returns the schema of a whole file: its body's top-level blocks. Each
// call builds a fresh value, so callers may keep it without sharing state.
func File() *Block {
	return &Block{
		Type: "file",
		Doc:  "A file holds feed, parser, expert, output, bot and pipeline blocks, in any order and across any number of files.",
		Blocks: []*Block{
			feedBlock(), parserBlock(), botBlock(KindExpert), botBlock(KindOutput), genericBotBlock(), pipelineBlock(),
		},
	}
}

func intelmqModuleAttr() Attr {
	return Attr{Name: "intelmq_module", Type: String,
		Doc: "The IntelMQ bot module this declaration ports, e.g. \"intelmq.bots.parsers.abusech.parser_feodotracker\"; the conformance runner uses it."}
}

func feedBlock() *Block {
	return &Block{
		Type: KindFeed, Labels: []string{"name"},
		Doc: "A feed is one data source: how it is collected, which parser reads it, and the feed.* fields of its reports.",
		Attrs: []Attr{
			{Name: "provider", Type: String, Required: true, Doc: "The feed's provider, written to feed.provider."},
			{Name: "name", Type: String, Default: "the label", Doc: "The feed's name written to feed.name."},
			{Name: "accuracy", Type: Number, Default: "100", Doc: "The feed's accuracy from 0 to 100, written to feed.accuracy."},
			{Name: "code", Type: String, Doc: "A short code for the feed, written to feed.code."},
			{Name: "documentation", Type: String, Doc: "A link to the feed's documentation, written to feed.documentation."},
			{Name: "description", Type: String, Doc: "Free text about the feed for humans; not written into messages."},
			{Name: "parser", Type: Ref, Required: true, Refs: []string{KindParser, KindBot}, Doc: "The parser that reads this feed's reports: a parser block, e.g. parser.feodotracker, or a bot block of a Go parser bot, e.g. bot.cleanmx_phishing."},
			intelmqModuleAttr(),
			{Name: "intelmq_parameters", Type: AnyMap, Doc: "The parameters of the IntelMQ parser configuration this feed ports."},
		},
		Blocks: []*Block{{
			Type: "collect", Labels: []string{"bot"}, Single: true, Open: true,
			Doc: "The collector of the feed: its label names a collector bot (\"http\" is collector.http) and its attributes are that bot's parameters.",
		}},
	}
}

func botBlock(kind string) *Block {
	return &Block{
		Type: kind, Labels: []string{"bot", "name"}, Open: true,
		Doc: "A " + kind + " is a Go bot: the first label names the bot (\"taxonomy\" is " + kind + ".taxonomy), the second names this instance; the attributes are the bot's parameters.",
	}
}

func genericBotBlock() *Block {
	return &Block{
		Type: KindBot, Labels: []string{"id", "name"}, Open: true,
		Doc: "A bot is any registered Go bot named by its full ID (\"expert.geo_enrich\"), with a name for references (bot.geo) and its parameters as attributes.",
	}
}

func pipelineBlock() *Block {
	return &Block{
		Type: KindPipeline, Labels: []string{"name"},
		Doc: "A pipeline connects feeds through a chain of experts to outputs with ordered routes.",
		Attrs: []Attr{
			{Name: "feeds", Type: RefList, Refs: []string{KindFeed}, Doc: "The feeds whose events enter the pipeline."},
			{Name: "experts", Type: RefList, Refs: []string{KindExpert, KindBot}, Doc: "The experts every event passes, in order."},
		},
		Blocks: []*Block{{
			Type: "route",
			Doc:  "A route sends the events its condition accepts to its destinations; routes are tried in order and the first that matches takes the event. A route without `when` takes every event.",
			Attrs: []Attr{
				{Name: "name", Type: String, Doc: "The IntelMQ path name of the route (default \"route-N\", or \"_default\" for a last route without `when`)."},
				{Name: "when", Type: Expr, Doc: "A boolean expression over the event, e.g. \"classification.taxonomy == 'malicious-code'\"."},
				{Name: "to", Type: RefList, Refs: []string{KindOutput, KindBot, KindPipeline}, Doc: "The outputs (or pipelines) receiving the events."},
				{Name: "drop", Type: Bool, Default: "false", Doc: "Discard the events the route takes."},
			},
		}},
	}
}
