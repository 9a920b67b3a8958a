// SPDX-License-Identifier: AGPL-3.0-or-later

package twitter

import (
	"context"
	"regexp"
	"strings"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parserutil"
	"github.com/intelmq-go/intelmq/bots/parsers/internal/pytext"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "parser.twitter"

// Module is the IntelMQ module the bot replaces.
const Module = "intelmq.bots.parsers.twitter.parser"

const (
	paramDefaultScheme      = "default_scheme"
	paramDomainWhitelist    = "domain_whitelist"
	paramSubstitutions      = "substitutions"
	paramClassificationType = "classification_type"
)

// Spec returns the declaration of the Twitter parser.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindParser,
		Doc: "Finds URLs and domains in the text of tweets, as IntelMQ's Twitter parser does; each URL " +
			"whose host ends in a public suffix gives one event.",
		Params: []botapi.Param{
			{Name: paramDefaultScheme, Type: botapi.TypeString, Default: "",
				Doc: "The scheme given to a URL found without one, e.g. \"http\"; empty means url-normalize's " +
					"default, \"https\"."},
			{Name: paramDomainWhitelist, Type: botapi.TypeString, Default: "t.co",
				Doc: "Comma-separated regular expressions; a URL in which one of them is found is ignored. " +
					"As in IntelMQ they are searched anywhere in the URL, so \"t.co\" also matches \"microsoft.com\"."},
			{Name: paramSubstitutions, Type: botapi.TypeString, Default: ".net;[.]net",
				Doc: "Semicolon-separated pairs of strings: in the text, each first string is replaced by " +
					"the second before searching, e.g. \" .net;.net;[.];.\" to read defanged names."},
			{Name: paramClassificationType, Type: botapi.TypeString, Default: "blacklist",
				Doc: "The classification.type of the events; a value that is not a valid type gives \"unknown\"."},
		},
		IntelMQModule: Module,
	}
}

// Register adds the Twitter parser to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Parser is the Twitter parser.
type Parser struct {
	scheme             string
	whitelist          []*regexp.Regexp
	substitutions      [][2]string
	classificationType string
}

var _ botapi.Parser = (*Parser)(nil)

// New returns a Twitter parser. Invalid substitutions (an odd number of
// strings) or whitelist expressions are configuration errors.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	schema := bc.Schema
	if schema == nil {
		schema = harmonization.Default()
	}
	b := &Parser{scheme: p.String(paramDefaultScheme)}
	if b.scheme == "" {
		b.scheme = "https"
	}
	if wl := p.String(paramDomainWhitelist); wl != "" {
		for _, expr := range strings.Split(wl, ",") {
			re, err := regexp.Compile(expr)
			if err != nil {
				return nil, &botapi.ParamError{Name: paramDomainWhitelist, Err: err}
			}
			b.whitelist = append(b.whitelist, re)
		}
	}
	if subs := p.String(paramSubstitutions); subs != "" {
		parts := strings.Split(subs, ";")
		if len(parts)%2 != 0 {
			return nil, botapi.ParamErrorf(paramSubstitutions, "%q is not an even number of ;-separated strings", subs)
		}
		for i := 0; i < len(parts); i += 2 {
			b.substitutions = append(b.substitutions, [2]string{parts[i], parts[i+1]})
		}
	}
	b.classificationType = p.String(paramClassificationType)
	if !parserutil.IsValid(schema, "classification.type", b.classificationType, false) {
		b.classificationType = "unknown"
	}
	return b, nil
}

// Parse finds the URLs of the text and sends one event for each.
func (p *Parser) Parse(_ context.Context, report *message.Message, out botapi.Records) error {
	text, err := report.RawText()
	if err != nil {
		return botapi.Permanent(err)
	}
	for _, url := range p.URLs(text) {
		ev := out.NewEvent()
		if err := ev.AddString("source.url", url); err != nil {
			out.Bad(text, 0, err)
			continue
		}
		if err := ev.AddString("classification.type", p.classificationType); err != nil {
			return botapi.Fatal(err)
		}
		if err := out.Event(ev, text); err != nil {
			return err
		}
	}
	return nil
}

// URLs returns the URLs found in text, in order, as IntelMQ's
// get_data_from_text does.
func (p *Parser) URLs(text string) []string {
	for _, s := range p.substitutions {
		text = strings.ReplaceAll(text, s[0], s[1])
	}
	var urls []string
	for _, word := range pytext.Fields(text) {
		if url := p.domain(strings.ToLower(word)); url != "" {
			urls = append(urls, url)
		}
	}
	return urls
}

// candidate finds a host name followed by a path, a port or nothing, at the
// start of a word or after "//".
var candidate = regexp.MustCompile(`(//|^)([a-z0-9.-]*[a-z]\.[a-z][a-z-]*?(?:[/:].*|$))`)

// domain is IntelMQ's get_domain: the normalised URL of the word's
// candidate, or "" when there is none, it is whitelisted, or its host has
// no public suffix.
func (p *Parser) domain(word string) string {
	m := candidate.FindStringSubmatch(word)
	if m == nil {
		return ""
	}
	dom := m[2]
	for _, re := range p.whitelist {
		if re.MatchString(dom) {
			return ""
		}
	}
	url, err := normalizeURL(dom, p.scheme)
	if err != nil || !hasPublicSuffix(url) {
		return ""
	}
	return url
}
