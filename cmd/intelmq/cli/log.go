// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/intelmq-go/intelmq/runtime/botlog"
)

func runLog(env *Env, args []string) int {
	fset := flag.NewFlagSet("log", flag.ContinueOnError)
	fset.SetOutput(env.Stderr)
	rf := addRuntimeFlags(fset)
	lines := fset.Int("n", 10, "the number of entries to show; -1 for all")
	level := fset.String("level", "INFO", "the lowest level shown: DEBUG, INFO, WARNING, ERROR or CRITICAL")
	asJSON := fset.Bool("json", false, "print entries as JSON (intelmqctl log)")
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "Usage: intelmq log [-n N] [--level LEVEL] [--json] [--dir DIR] [--state DIR] BOT")
		fmt.Fprintln(fset.Output(), "Shows the last log entries of a bot, with their tracebacks.")
		fset.PrintDefaults()
	}
	if code, ok := parseFlags(env, fset, args); !ok {
		return code
	}
	if fset.NArg() != 1 {
		fset.Usage()
		return exitUsage
	}
	min, err := botlog.ParseLevel(*level)
	if err != nil {
		env.Errorf("intelmq log: %v", err)
		return exitUsage
	}
	st, _ := rf.resolve(rf.dir)
	path := st.logFile(fset.Arg(0))
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		env.Errorf("intelmq log: bot %s has no log at %s.", fset.Arg(0), path)
		return exitFindings
	}
	if err != nil {
		env.Errorf("intelmq log: %v", err)
		return exitUsage
	}
	defer f.Close()
	entries, err := botlog.Read(f, min, max(*lines, 0))
	if err != nil {
		env.Errorf("intelmq log: %v", err)
		return exitUsage
	}
	if *asJSON {
		if entries == nil {
			entries = []botlog.Entry{}
		}
		if code := printJSON(env, entries); code != exitOK || len(entries) > 0 {
			return code
		}
	}
	if len(entries) == 0 {
		env.Errorf("intelmq log: %s has no entries of bot %s at level %s or above.", path, fset.Arg(0), strings.ToUpper(*level))
		return exitFindings
	}
	if *asJSON {
		return exitOK
	}
	for _, e := range entries {
		fmt.Fprintf(env.Stdout, "%s - %s - %s - %s\n", e.Date, e.BotID, e.Level, e.Message)
		if e.Extended != "" {
			fmt.Fprintln(env.Stdout, e.Extended)
		}
	}
	return exitOK
}
