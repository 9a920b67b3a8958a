// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/intelmq-go/intelmq/stdlib/feeds"
)

// writeFeedsMarkdown writes docs/feeds.md: the library's feeds and the
// feeds of IntelMQ's catalogue it does not declare yet.
func writeFeedsMarkdown(out io.Writer, list []*libraryFeed, missing []feeds.Unavailable) error {
	w := bufio.NewWriter(out)
	total := len(list) + len(missing)
	fmt.Fprint(w, `<!-- SPDX-License-Identifier: AGPL-3.0-or-later -->
<!-- Generated from the shipped library by "intelmq feeds list --format markdown". Do not edit:
     change stdlib/feeds/feeds/*.hcl and run "go test ./cmd/intelmq/cli -run TestFeedsDoc -update". -->

# Feeds

`)
	fmt.Fprintf(w, "The binary ships declarations of %d of the %d feeds of IntelMQ's feed catalogue (`feeds.yaml`):\n", len(list), total)
	fmt.Fprint(w, `each with its collector settings, its parser and the `+"`feed.*`"+` fields of its reports
(provider, name, documentation). They live in `+"`stdlib/feeds/feeds/`"+`, one file per provider; the parsers
they use are in `+"`stdlib/feeds/parsers/`"+` (IntelMQ's parser modules) or next to the feed (IntelMQ's generic
CSV parser configured for that feed).`)
	if len(missing) > 0 {
		fmt.Fprintf(w, " The %d others are [not yet available](#not-yet-available).", len(missing))
	}
	fmt.Fprint(w, "\n\n")
	fmt.Fprint(w, "```\n"+
		"intelmq feeds list                     # name, provider, feed, parser, collector, URL (--format json)\n"+
		"intelmq feeds show dataplane_sshclient > dataplane.hcl\n"+
		"```\n\n")
	fmt.Fprint(w, `"intelmq feeds show NAME" prints one feed as an HCL file: its documentation as comments, the `+"`feed`"+`
block and the `+"`parser`"+` block it uses. Save it in your configuration directory, list the feed in a
pipeline, and "intelmq validate" checks it; change what you like (the interval, the name, the parser).
Feeds that share a parser (the twelve Dataplane lists, the ten Blocklist.de lists) share one `+"`parser`"+`
block: keep one copy of it.

## Placeholders

Values you must supply are written `+"`{{ name }}`"+` in the declarations: credentials (`+"`{{ username }}`"+`,
`+"`{{ password }}`"+`), API keys (`+"`{{ api_key }}`"+`) or a choice (`+"`{{ country }}`"+`, `+"`{{ asn }}`"+`). The
language has no variables or environment references yet, so replace them in your copy of the feed. The
"Needs" column lists them; "intelmq validate" warns about each one left in a collector's parameters
(`+"`--strict`"+` makes that an error).

## Feeds without a Go collector

A feed whose collector is "external" comes from a source only IntelMQ's own collectors read yet (mail
attachments, STOMP, vendor APIs, streams). The feed is declared without `+"`collect`"+`; run the IntelMQ
collector named in the table and let it push its reports to the feed's parser queue on the same Redis
(`+"`<feed>-parser-queue`"+`, with "intelmq run --broker redis://...").

## All feeds

| Feed | Provider | Name | Parser | Collector | Interval | Needs |
|---|---|---|---|---|---|---|
`)
	for _, f := range list {
		fmt.Fprintf(w, "| [`%s`](#%s) | %s | %s | `%s` | %s | %s | %s |\n", f.Name, anchor(f.Name), cell(f.Provider), cell(f.Feed),
			f.parserText(), cell(f.collectorText()), orDash(f.Interval), cell(strings.Join(f.Placeholders, ", ")))
	}
	if len(missing) > 0 {
		fmt.Fprint(w, "\n## Not yet available\n\n| Provider | Feed | Reason |\n|---|---|---|\n")
		for _, m := range missing {
			fmt.Fprintf(w, "| %s | %s | %s |\n", cell(m.Provider), cell(m.Name), cell(m.Reason))
		}
	}
	fmt.Fprint(w, "\n## Details\n")
	provider := ""
	for _, f := range sortedByProvider(list) {
		if f.Provider != provider {
			provider = f.Provider
			fmt.Fprintf(w, "\n### %s\n", provider)
		}
		fmt.Fprintf(w, "\n#### %s\n\n", f.Name)
		fmt.Fprintf(w, "**%s**", f.Feed)
		if f.Description != "" {
			fmt.Fprintf(w, ": %s", f.Description)
		}
		fmt.Fprint(w, "\n\n")
		switch {
		case f.URL != "" && f.Interval != "":
			fmt.Fprintf(w, "- Collector: %s, `%s`, every %s\n", f.Collector, f.URL, f.Interval)
		case f.URL != "":
			fmt.Fprintf(w, "- Collector: %s, `%s`\n", f.Collector, f.URL)
		default:
			fmt.Fprintf(w, "- Collector: %s\n", f.collectorText())
		}
		if len(f.Placeholders) > 0 {
			fmt.Fprintf(w, "- Needs: %s\n", placeholderList(f.Placeholders))
		}
		if f.ParserBot != "" {
			fmt.Fprintf(w, "- Parser: `%s`, the Go parser bot `%s` (`%s`)\n", f.parserRef(), f.ParserBot, f.ParserFile)
		} else {
			fmt.Fprintf(w, "- Parser: `parser.%s` (`%s`)\n", f.Parser, f.ParserFile)
		}
		if f.Documentation != "" {
			fmt.Fprintf(w, "- Documentation: %s\n", f.Documentation)
		}
		fmt.Fprintf(w, "- Declared in `%s`\n", f.File)
	}
	return w.Flush()
}

// sortedByProvider returns the feeds ordered by provider, then name.
func sortedByProvider(list []*libraryFeed) []*libraryFeed {
	out := append([]*libraryFeed(nil), list...)
	lessFold := func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
	slices.SortFunc(out, func(a, b *libraryFeed) int {
		if c := lessFold(a.Provider, b.Provider); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// anchor is the GitHub heading anchor of a feed name heading.
func anchor(name string) string { return strings.ToLower(name) }

// cell escapes a table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
