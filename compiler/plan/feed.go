// SPDX-License-Identifier: AGPL-3.0-or-later

package plan

// Feed is one data source: where it is collected from, which parser reads
// it, and the feed.* fields its reports carry.
type Feed struct {
	Name          string // the HCL label; also feed.name unless FeedName is set
	FeedName      string // feed.name written into reports
	Provider      string // feed.provider
	Accuracy      float64
	Code          string // feed.code
	Documentation string // feed.documentation
	Doc           string // free text for humans, not written into messages
	// Collector is the collector bot with its checked parameters.
	Collector *Bot
	// Parser reads the collected reports when it is declared in HCL; nil
	// when ParserBot reads them.
	Parser *Parser
	// ParserBot is the Go parser bot (a Bot of KindParser, declared in a
	// bot block) that reads the reports instead of Parser; nil otherwise.
	ParserBot *Bot
	// IntelMQ names the IntelMQ bot configuration this feed replaces, for the
	// conformance runner; nil when not declared.
	IntelMQ *IntelMQRef
	Origin  Origin
}

// IntelMQRef names an IntelMQ bot module and the parameters of the
// configuration a declaration ports.
type IntelMQRef struct {
	Module string // e.g. "intelmq.bots.parsers.abusech.parser_feodotracker"
	// Parameters are the IntelMQ parameters as plain Go values: string,
	// int, float64, bool, []any, map[string]any.
	Parameters map[string]any
}
