// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func runSchema(env *Env, args []string) int {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	report := fs.Bool("report", false, "show the fields of reports instead of events")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq schema [-report] [field]")
		fmt.Fprintln(fs.Output(), "Lists the harmonization fields with their types and constraints, or describes one field with its allowed values.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	s := harmonization.Default()
	mt := harmonization.Event
	if *report {
		mt = harmonization.Report
	}
	switch fs.NArg() {
	case 0:
		listFields(env.Stdout, s.Fields(mt))
		return exitOK
	case 1:
	default:
		fs.Usage()
		return exitUsage
	}
	key := fs.Arg(0)
	f, err := s.Field(mt, key)
	if err != nil {
		var keys []string
		for _, f := range s.Fields(mt) {
			keys = append(keys, f.Key)
		}
		env.Errorf("intelmq schema: %s has no field %q.%s", mt, key, didyoumean.Suffix(key, keys))
		return exitFindings
	}
	describeField(env.Stdout, f)
	return exitOK
}

func constraints(f *harmonization.Field) string {
	var cs []string
	if f.Length > 0 {
		cs = append(cs, fmt.Sprintf("length ≤ %d", f.Length))
	}
	if f.RegexText != "" {
		cs = append(cs, "regex "+f.RegexText)
	}
	if f.IRegexText != "" {
		cs = append(cs, "iregex "+f.IRegexText)
	}
	if en, ok := f.Type.(harmonization.Enumerated); ok {
		cs = append(cs, fmt.Sprintf("one of %d values", len(en.Allowed())))
	}
	return strings.Join(cs, ", ")
}

func listFields(w io.Writer, fields []*harmonization.Field) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range fields {
		c := constraints(f)
		if len(c) > 60 {
			c = c[:57] + "..."
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Key, f.Type.Name(), c)
	}
	tw.Flush()
}

func describeField(w io.Writer, f *harmonization.Field) {
	fmt.Fprintln(w, f.Key)
	fmt.Fprintf(w, "  type:        %s\n", f.Type.Name())
	if f.Description != "" {
		fmt.Fprintf(w, "  description: %s\n", f.Description)
	}
	if f.Length > 0 {
		fmt.Fprintf(w, "  length:      at most %d characters\n", f.Length)
	}
	if f.RegexText != "" {
		fmt.Fprintf(w, "  regex:       %s\n", f.RegexText)
	}
	if f.IRegexText != "" {
		fmt.Fprintf(w, "  iregex:      %s\n", f.IRegexText)
	}
	if en, ok := f.Type.(harmonization.Enumerated); ok {
		fmt.Fprintln(w, "  allowed values:")
		for _, v := range en.Allowed() {
			fmt.Fprintf(w, "    %s\n", v)
		}
	}
}
