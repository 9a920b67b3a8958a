// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
	"github.com/intelmq-go/intelmq/stdlib/feeds"
)

func runFeeds(env *Env, args []string) int {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "Usage: intelmq feeds list [--format text|json|markdown]")
		fmt.Fprintln(w, "       intelmq feeds show NAME")
		fmt.Fprintln(w, "Lists the feeds of the shipped library, or prints one feed's declaration with its parser")
		fmt.Fprintln(w, "and documentation as an HCL file to copy into a configuration.")
		fmt.Fprintln(w, "Exit status: 0 done, 1 the library does not compile, 2 usage error or unknown feed.")
	}
	if len(args) == 0 {
		usage(env.Stderr)
		return exitUsage
	}
	switch args[0] {
	case "list":
		return runFeedsList(env, args[1:])
	case "show":
		return runFeedsShow(env, args[1:])
	case "-h", "-help", "--help", "help":
		usage(env.Stdout)
		return exitOK
	}
	env.Errorf("intelmq feeds: unknown subcommand %q; use list or show.", args[0])
	return exitUsage
}

func runFeedsList(env *Env, args []string) int {
	fs := flag.NewFlagSet("feeds list", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "text", "output format: text, json or markdown (docs/feeds.md)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq feeds list [--format text|json|markdown]")
		fmt.Fprintln(fs.Output(), "Lists the feeds of the shipped library: name, provider, feed name, parser, collector and URL.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	switch *format {
	case "text", "json", "markdown":
	default:
		env.Errorf("intelmq feeds list: unknown format %q; use text, json or markdown.", *format)
		return exitUsage
	}
	lib, code := loadFeedLibrary(env, "intelmq feeds list")
	if lib == nil {
		return code
	}
	var err error
	switch *format {
	case "json":
		err = writeFeedsJSON(env.Stdout, lib.feeds)
	case "markdown":
		err = writeFeedsMarkdown(env.Stdout, lib.feeds, feeds.Missing())
	default:
		err = writeFeedsText(env.Stdout, lib.feeds)
	}
	if err != nil {
		env.Errorf("intelmq feeds list: %v", err)
		return exitUsage
	}
	return exitOK
}

func runFeedsShow(env *Env, args []string) int {
	fs := flag.NewFlagSet("feeds show", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq feeds show NAME")
		fmt.Fprintln(fs.Output(), "Prints the library's feed NAME as an HCL file: its documentation as comments, the feed")
		fmt.Fprintln(fs.Output(), "declaration and its parser. Save it in a configuration directory to use or change it.")
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	name := fs.Arg(0)
	lib, code := loadFeedLibrary(env, "intelmq feeds show")
	if lib == nil {
		return code
	}
	var names []string
	for _, f := range lib.feeds {
		names = append(names, f.Name)
		if f.Name != name {
			continue
		}
		if err := lib.writeShow(env.Stdout, f); err != nil {
			env.Errorf("intelmq feeds show: %v", err)
			return exitUsage
		}
		return exitOK
	}
	env.Errorf("intelmq feeds show: the library has no feed %q.%s Run \"intelmq feeds list\" for the names.",
		name, didyoumean.Suffix(name, names))
	return exitUsage
}

// libraryFeed is one feed of the shipped library as listed and documented.
type libraryFeed struct {
	Name     string `json:"name"`     // the HCL label, e.g. "dataplane_sshclient"
	Provider string `json:"provider"` // feed.provider
	Feed     string `json:"feed"`     // feed.name
	Parser   string `json:"parser"`
	// ParserBot is the id of the Go parser bot (e.g. "parser.cleanmx") when
	// Parser names a bot block rather than a parser block.
	ParserBot string `json:"parser_bot,omitempty"`
	Collector string `json:"collector"` // "http", "file", ..., or "external"
	// IntelMQCollector names the IntelMQ collector module that must deliver
	// the reports of a feed without a Go collector.
	IntelMQCollector string `json:"intelmq_collector,omitempty"`
	URL              string `json:"url,omitempty"`
	Interval         string `json:"interval,omitempty"`
	Documentation    string `json:"documentation,omitempty"`
	Description      string `json:"description,omitempty"`
	// Placeholders are the names of the {{ name }} values of the collector's
	// parameters the user must replace: credentials, API keys, a country.
	Placeholders []string `json:"placeholders,omitempty"`
	File         string   `json:"file"`
	ParserFile   string   `json:"parser_file"`

	plan *plan.Feed
}

// feedLibrary is the compiled shipped library.
type feedLibrary struct {
	loader *lang.Loader
	feeds  []*libraryFeed // sorted by name
}

// loadFeedLibrary compiles the shipped library. On failure it prints the
// diagnostics and returns nil and the exit code.
func loadFeedLibrary(env *Env, cmd string) (*feedLibrary, int) {
	cenv, err := compilerEnv()
	if err != nil {
		env.Errorf("%s: %v", cmd, err)
		return nil, exitUsage
	}
	loader := lang.NewLoader()
	files, diags := loadLibrary(loader)
	var p *plan.Plan
	if !diags.HasErrors() {
		var more hcl.Diagnostics
		p, more = compiler.Compile(files, cenv)
		diags = append(diags, more...)
	}
	if diags.HasErrors() || p == nil {
		if err := writeTextDiagnostics(env.Stderr, loader.Files(), diags); err != nil {
			env.Errorf("%s: %v", cmd, err)
		}
		env.Errorf("%s: the shipped library does not compile", cmd)
		return nil, exitFindings
	}
	lib := &feedLibrary{loader: loader}
	for _, f := range p.Feeds {
		lib.feeds = append(lib.feeds, describeFeed(f))
	}
	sort.Slice(lib.feeds, func(i, j int) bool { return lib.feeds[i].Name < lib.feeds[j].Name })
	return lib, exitOK
}

// externalCollector finds the IntelMQ collector module a description names
// for a feed without a Go collector: "... (intelmq.bots.collectors.mail.collector_mail_attach) ...".
var externalCollector = regexp.MustCompile(`\(intelmq\.bots\.collectors\.([a-z0-9_.]+)\)`)

// placeholder is a value the user fills in: {{ api_key }}.
var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

func describeFeed(f *plan.Feed) *libraryFeed {
	lf := &libraryFeed{
		Name: f.Name, Provider: f.Provider, Feed: f.FeedName, Collector: "external",
		Documentation: f.Documentation, Description: f.Doc, File: f.Origin.File, plan: f,
	}
	if f.Parser != nil {
		lf.Parser, lf.ParserFile = f.Parser.Name, f.Parser.Origin.File
	}
	if b := f.ParserBot; b != nil {
		lf.Parser, lf.ParserBot, lf.ParserFile = b.Name, b.Type, b.Origin.File
	}
	if m := externalCollector.FindStringSubmatch(f.Doc); m != nil {
		lf.IntelMQCollector = m[1]
	}
	if c := f.Collector; c != nil {
		lf.Collector = strings.TrimPrefix(c.Type, "collector.")
		lf.IntelMQCollector = ""
		lf.URL = c.Params.String("url")
		if lf.URL == "" {
			lf.URL = c.Params.String("path")
		}
		if d, ok := c.Params["interval"].(time.Duration); ok {
			lf.Interval = shortDuration(d)
		}
		seen := map[string]bool{}
		for _, n := range c.Params.Names() {
			s, ok := c.Params[n].(string)
			if !ok {
				continue
			}
			for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					lf.Placeholders = append(lf.Placeholders, m[1])
				}
			}
		}
		sort.Strings(lf.Placeholders)
	}
	return lf
}

// shortDuration writes 24h, 90m or 45s rather than 24h0m0s.
func shortDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// parserRef is the feed's parser as a reference: parser.X, or bot.X for
// the bot block of a Go parser bot.
func (f *libraryFeed) parserRef() string {
	if f.ParserBot != "" {
		return schema.KindBot + "." + f.Parser
	}
	return schema.KindParser + "." + f.Parser
}

// parserText is the parser column: the parser's name, or bot.X (and the
// bot's id) for a Go parser bot.
func (f *libraryFeed) parserText() string {
	if f.ParserBot != "" {
		return f.parserRef() + " (" + f.ParserBot + ")"
	}
	return f.Parser
}

// collectorText is the collector column: "http", or "external: mail.collector_mail_attach".
func (f *libraryFeed) collectorText() string {
	if f.IntelMQCollector != "" {
		return "external: " + f.IntelMQCollector
	}
	return f.Collector
}

func writeFeedsText(w io.Writer, list []*libraryFeed) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPROVIDER\tFEED\tPARSER\tCOLLECTOR\tURL")
	for _, f := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Name, f.Provider, f.Feed, f.parserText(), f.collectorText(), orDash(f.URL))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%s; \"intelmq feeds show NAME\" prints one.\n", plural(len(list), "feed"))
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeFeedsJSON(w io.Writer, list []*libraryFeed) error {
	if list == nil {
		list = []*libraryFeed{}
	}
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writeShow prints f as an HCL file: its documentation as comments, the
// feed block and the parser block, each with the comments above it.
func (l *feedLibrary) writeShow(w io.Writer, f *libraryFeed) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s: %s %q, from the shipped library (%s).\n", f.Name, f.Provider, f.Feed, f.File)
	if f.Description != "" {
		b.WriteString("#\n")
		for _, line := range wrapWords(f.Description, 76) {
			fmt.Fprintf(&b, "# %s\n", line)
		}
	}
	b.WriteString("#\n")
	if f.Documentation != "" {
		fmt.Fprintf(&b, "# Documentation: %s\n", f.Documentation)
	}
	if f.URL != "" {
		if f.Interval != "" {
			fmt.Fprintf(&b, "# Collected: %s every %s\n", f.URL, f.Interval)
		} else {
			fmt.Fprintf(&b, "# Collected: %s\n", f.URL)
		}
	}
	if len(f.Placeholders) > 0 {
		fmt.Fprintf(&b, "# Replace before use: %s.\n", placeholderList(f.Placeholders))
	}
	if f.ParserFile != "" && f.ParserFile != f.File {
		fmt.Fprintf(&b, "# The parser %s comes from %s.\n", f.parserRef(), f.ParserFile)
	}
	src, err := l.blockSource(f.File, schema.KindFeed, f.Name)
	if err != nil {
		return err
	}
	b.WriteString("\n")
	b.Write(src)
	if f.Parser != "" {
		kind := schema.KindParser
		if f.ParserBot != "" {
			kind = schema.KindBot
		}
		src, err := l.blockSource(f.ParserFile, kind, f.Parser)
		if err != nil {
			return err
		}
		b.WriteString("\n")
		b.Write(src)
	}
	_, err = w.Write(b.Bytes())
	return err
}

func placeholderList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "{{ " + n + " }}"
	}
	return strings.Join(quoted, ", ")
}

// blockSource returns the text of the block kind "name" of a library file
// (name is the last label: a bot block's second), with the comment lines
// right above it, ending in a newline.
func (l *feedLibrary) blockSource(file, kind, name string) ([]byte, error) {
	hf := l.loader.Files()[file]
	if hf == nil {
		return nil, fmt.Errorf("the library file %s is not loaded", file)
	}
	body, ok := hf.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("%s is not native HCL syntax", file)
	}
	for _, blk := range body.Blocks {
		if blk.Type != kind || len(blk.Labels) == 0 || blk.Labels[len(blk.Labels)-1] != name {
			continue
		}
		src := hf.Bytes
		start, end := blk.Range().Start.Byte, blk.Range().End.Byte
		start = commentStart(src, start)
		out := append([]byte(nil), src[start:end]...)
		return append(out, '\n'), nil
	}
	return nil, errors.New("no " + kind + " " + name + " in " + file)
}

// commentStart moves start (the beginning of a line) up over the comment
// lines directly above it, except a license header.
func commentStart(src []byte, start int) int {
	for start > 0 {
		prev := bytes.LastIndexByte(src[:start-1], '\n') + 1
		line := strings.TrimSpace(string(src[prev : start-1]))
		if !strings.HasPrefix(line, "#") || strings.Contains(line, "SPDX-License-Identifier") {
			break
		}
		start = prev
	}
	return start
}

// wrapWords splits text into lines of at most width characters at spaces.
func wrapWords(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(text) {
		if cur.Len() > 0 && cur.Len()+1+len(w) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
