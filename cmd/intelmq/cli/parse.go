// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
	"github.com/intelmq-go/intelmq/runtime/parse"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// reportFields is the repeatable --report-field flag.
type reportFields [][2]string

func (r *reportFields) String() string { return fmt.Sprint(*r) }

func (r *reportFields) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	*r = append(*r, [2]string{k, v})
	return nil
}

func runParse(env *Env, args []string) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	name := fs.String("parser", "", "the parser to run, the configuration's or the shipped library's: a parser block, the bot block of a Go parser bot, or a Go parser bot's id such as parser.cleanmx (required)")
	feedName := fs.String("feed", "", "the feed whose feed.* values and URL the report gets (default: the first feed using the parser)")
	var opts compileOptions
	addLibraryFlag(fs, &opts)
	var fields reportFields
	fs.Var(&fields, "report-field", "a report field as key=value, e.g. feed.url=https://... (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq parse --parser NAME [--feed NAME] [--report-field key=value ...] [--no-library] FILE [paths...]")
		fmt.Fprintln(fs.Output(), "Runs one parser over a sample file as a report: events as JSON lines on standard output,")
		fmt.Fprintln(fs.Output(), "each bad record on standard error as FILE:LINE: error, followed by its text.")
		fmt.Fprintln(fs.Output(), "The paths (default: the current directory) hold the HCL configuration; the shipped library's")
		fmt.Fprintln(fs.Output(), "parsers and feeds can be named without one.")
		fmt.Fprintln(fs.Output(), "Exit status: 0 all records parsed, 1 bad records or a failed report, 2 usage or I/O error.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	if *name == "" || fs.NArg() < 1 {
		fs.Usage()
		return exitUsage
	}
	file, paths := fs.Arg(0), fs.Args()[1:]
	if len(paths) == 0 {
		paths = []string{"."}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		env.Errorf("intelmq parse: %v", err)
		return exitUsage
	}
	opts.use = []string{"parser." + *name, "bot." + *name}
	if *feedName != "" {
		opts.use = append(opts.use, "feed."+*feedName)
	}
	c, err := compilePaths(paths, opts)
	if err != nil {
		env.Errorf("intelmq parse: %v", err)
		return exitUsage
	}
	if c.ioErr || c.plan == nil {
		if err := writeTextDiagnostics(env.Stderr, c.loader.Files(), c.diags); err != nil {
			env.Errorf("intelmq parse: %v", err)
		}
		if c.ioErr {
			return exitUsage
		}
		fmt.Fprintln(env.Stderr, summarize(c))
		return exitFindings
	}
	p := c.plan.Parser(*name)
	var bot *plan.Bot
	if p == nil {
		if bot, err = parserBot(c.plan, *name); err != nil {
			env.Errorf("intelmq parse: %v", err)
			return exitUsage
		}
	}
	if p == nil && bot == nil {
		env.Errorf("intelmq parse: there is no parser %q.%s", *name, didyoumean.Suffix(*name, c.declaredNames(schema.KindParser)))
		return exitUsage
	}
	feed := firstFeed(c.plan, p, bot)
	if *feedName != "" {
		if feed = c.plan.Feed(*feedName); feed == nil {
			env.Errorf("intelmq parse: there is no feed %q.%s", *feedName, didyoumean.Suffix(*feedName, c.declaredNames(schema.KindFeed)))
			return exitUsage
		}
	}
	report, err := sampleReport(feed, data, fields)
	if err != nil {
		env.Errorf("intelmq parse: %v", err)
		return exitUsage
	}
	if bot != nil {
		return parseReportWithBot(env, file, bot, report)
	}
	return parseReport(env, file, p, report)
}

// firstFeed returns the first feed, by name, that uses the parser p or the
// parser bot b, or nil.
func firstFeed(pl *plan.Plan, p *plan.Parser, b *plan.Bot) *plan.Feed {
	for _, f := range pl.Feeds {
		if (p != nil && f.Parser == p) || (b != nil && f.ParserBot == b) {
			return f
		}
	}
	return nil
}

// declaredNames returns the sorted names of the blocks of kind the user's
// files and the library declare, for suggestions.
func (c *compiled) declaredNames(kind string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range append(append([]*lang.File(nil), c.files...), c.library...) {
		for _, n := range blockNames(f, kind) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// blockNames returns the names of the feeds or parsers of f.
func blockNames(f *lang.File, kind string) []string {
	var out []string
	switch kind {
	case schema.KindFeed:
		for _, x := range f.Feeds {
			out = append(out, x.Name)
		}
	case schema.KindParser:
		for _, x := range f.Parsers {
			out = append(out, x.Name)
		}
		for _, x := range f.Bots { // the bot blocks of Go parser bots
			if x.Kind == schema.KindBot && strings.HasPrefix(x.Type, "parser.") {
				out = append(out, x.Name)
			}
		}
	}
	return out
}

// sampleReport builds the report a collector of feed would send for data:
// raw, the feed.* fields of the feed declaration and its collector's url
// (none when feed is nil), then the --report-field values. It sets no
// time.observation unless asked, so that the output is reproducible.
func sampleReport(f *plan.Feed, data []byte, fields reportFields) (*message.Message, error) {
	r := message.NewReport(nil)
	if len(data) > 0 { // an empty file gives a report without raw
		if err := message.SetRawText(r, data); err != nil {
			return nil, err
		}
	}
	if f != nil {
		name := f.FeedName
		if name == "" {
			name = f.Name
		}
		for _, kv := range [][2]string{{"feed.name", name}, {"feed.provider", f.Provider},
			{"feed.code", f.Code}, {"feed.documentation", f.Documentation}} {
			if kv[1] != "" {
				if err := r.Set(kv[0], harmonization.String(kv[1])); err != nil {
					return nil, fmt.Errorf("feed %q: %w", f.Name, err)
				}
			}
		}
		if f.Accuracy > 0 {
			if err := r.Set("feed.accuracy", harmonization.Float(f.Accuracy)); err != nil {
				return nil, fmt.Errorf("feed %q: %w", f.Name, err)
			}
		}
		if f.Collector != nil {
			if url := f.Collector.Params.String("url"); url != "" {
				if err := r.Set("feed.url", harmonization.String(url)); err != nil {
					return nil, fmt.Errorf("feed %q: %w", f.Name, err)
				}
			}
		}
	}
	for _, kv := range fields {
		if err := r.Set(kv[0], harmonization.String(kv[1])); err != nil {
			return nil, fmt.Errorf("--report-field %s: %w", kv[0], err)
		}
	}
	return r, nil
}

// parseReport runs p over report and prints events and bad records.
func parseReport(env *Env, file string, p *plan.Parser, report *message.Message) int {
	return printParse(env, file, func(emit func(*message.Message) error, bad func(parse.BadRecord)) (parse.Stats, error) {
		return parse.Run(context.Background(), p, report, emit, bad)
	})
}

// printParse runs a parser through run and prints what it makes of one
// report: each event as a JSON line on standard output, each bad record on
// standard error as FILE:LINE: error followed by its text, then a summary
// line. It returns the command's exit code.
func printParse(env *Env, file string, run func(emit func(*message.Message) error, bad func(parse.BadRecord)) (parse.Stats, error)) int {
	out := bufio.NewWriter(env.Stdout)
	var line []byte
	emit := func(ev *message.Message) error {
		line = append(ev.AppendJSON(line[:0]), '\n')
		_, err := out.Write(line)
		return err
	}
	bad := func(b parse.BadRecord) {
		// Keep the order of events and errors when both go to a terminal.
		_ = out.Flush()
		fmt.Fprintf(env.Stderr, "%s:%d: %v\n", file, b.Line, b.Err)
		writeIndented(env.Stderr, b.Raw)
	}
	st, err := run(emit, bad)
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		if errors.Is(err, parse.ErrNoRaw) {
			env.Errorf("%s: the file is empty", file)
		} else {
			env.Errorf("%s: %v", file, err)
		}
		return exitFindings
	}
	fmt.Fprintf(env.Stderr, "%s: %s, %s, %s\n", file, plural(st.Records, "record"), plural(st.Events, "event"),
		plural(st.Bad, "bad record"))
	if st.Bad > 0 {
		return exitFindings
	}
	return exitOK
}

// writeIndented writes text with every line indented by a tab.
func writeIndented(w io.Writer, text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\r\n"), "\n") {
		fmt.Fprintf(w, "\t%s\n", strings.TrimRight(l, "\r"))
	}
}
