// SPDX-License-Identifier: AGPL-3.0-or-later

package threatminer

import (
	"context"
	"errors"
	"slices"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/htmlfeed"
	"github.com/intelmq-go/intelmq/bots/parsers/internal/pytext"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "parser.threatminer"

// Module is the IntelMQ module the bot replaces.
const Module = "intelmq.bots.parsers.threatminer.parser"

// The headings around the domains.
const (
	headDomains = "Recent domains"
	headHosts   = "Recent hosts"
)

// Spec returns the declaration of the Threatminer parser; it has no
// parameters.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindParser,
		Doc: "Scrapes the recent domains of threatminer.org's home page, as IntelMQ's Threatminer " +
			"parser does.",
		IntelMQModule: Module,
	}
}

// Register adds the Threatminer parser to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Parser is the Threatminer parser.
type Parser struct{}

var _ botapi.Parser = (*Parser)(nil)

// New returns a Threatminer parser.
func New(*botapi.Context, botapi.Params) (botapi.Bot, error) {
	return &Parser{}, nil
}

// The bad records of a page without the "Recent domains" panel.
var (
	ErrNoDomains = errors.New("the page has no line \"Recent domains\"")
	ErrNoEnd     = errors.New("the page has no line \"Recent hosts\" after \"Recent domains\"")
)

// Parse scrapes the domains.
func (p *Parser) Parse(_ context.Context, report *message.Message, out botapi.Records) error {
	text, err := report.RawText()
	if err != nil {
		return botapi.Permanent(err)
	}
	split := pytext.SplitLines(text)
	lines := make([]string, len(split))
	head := -1
	for i, l := range split {
		lines[i] = pytext.Strip(l.Text)
		if head < 0 && lines[i] == headDomains {
			head = i
		}
	}
	if head < 0 {
		out.Bad(text, 0, ErrNoDomains)
		return nil
	}
	if !slices.Contains(lines[head+1:], headHosts) {
		out.Bad(text, 0, ErrNoEnd)
		return nil
	}
	for _, t := range htmlfeed.Feed(lines, head+1) {
		if lines[t.Line] == headHosts {
			break
		}
		if t.Kind != htmlfeed.Data || pytext.Strip(t.Data) == "" {
			continue
		}
		raw := lines[t.Line]
		ev := out.NewEvent()
		if err := ev.AddString("source.fqdn", t.Data); err != nil {
			out.Bad(raw, split[t.Line].No, err)
			continue
		}
		if err := ev.AddString("classification.type", "blacklist"); err != nil {
			return err
		}
		if err := out.Event(ev, raw); err != nil {
			return err
		}
	}
	return nil
}
