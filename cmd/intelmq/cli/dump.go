// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue"
)

func runDump(env *Env, args []string) int {
	fs := flag.NewFlagSet("dump", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	rf := addRuntimeFlags(fs)
	asJSON := fs.Bool("json", false, "print entries as JSON")
	to := fs.String("queue", "", "resend: the queue to re-inject into (default: the entry's source queue)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq dump [--state DIR] [--json] list [dir]")
		fmt.Fprintln(fs.Output(), "       intelmq dump [--json] show BOT [N...]")
		fmt.Fprintln(fs.Output(), "       intelmq dump [--queue Q] resend BOT [N...]")
		fmt.Fprintln(fs.Output(), "       intelmq dump delete BOT [N...]")
		fmt.Fprintln(fs.Output(), "show, resend and delete take the configuration directory as --dir DIR (default .).")
		fmt.Fprintln(fs.Output(), "Lists, shows, re-injects or deletes the messages bots dumped (N are entry numbers from show; none means all). IntelMQ's .dump files in the log directory are read too.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	if fs.NArg() < 1 {
		fs.Usage()
		return exitUsage
	}
	action, rest := fs.Arg(0), fs.Args()[1:]
	if action == "list" {
		// "intelmq dump list DIR", as the run summary suggests, like the
		// other commands that take the configuration directory.
		if len(rest) > 1 {
			fs.Usage()
			return exitUsage
		}
		dir := rf.dir
		if len(rest) == 1 {
			dir = rest[0]
		}
		st, _ := rf.resolve(dir)
		return dumpList(env, st.dumps(), *asJSON)
	}
	st, url := rf.resolve(rf.dir)
	d := st.dumps()
	if len(rest) < 1 {
		fs.Usage()
		return exitUsage
	}
	bot := rest[0]
	positions, err := parsePositions(rest[1:])
	if err != nil {
		env.Errorf("intelmq dump: %v", err)
		return exitUsage
	}
	entries, corrupt, err := d.Read(bot)
	if err != nil {
		env.Errorf("intelmq dump: %v", err)
		return exitUsage
	}
	if corrupt > 0 {
		env.Errorf("intelmq dump: %d damaged line(s) of %s skipped.", corrupt, d.Path(bot))
	}
	for _, p := range positions {
		if p >= len(entries) {
			env.Errorf("intelmq dump: bot %s has no entry %d; it has %d.", bot, p, len(entries))
			return exitUsage
		}
	}
	switch action {
	case "show":
		return dumpShow(env, entries, positions, *asJSON)
	case "delete":
		n, err := d.Delete(bot, positions...)
		if err != nil {
			env.Errorf("intelmq dump: %v", err)
			return exitFindings
		}
		fmt.Fprintf(env.Stdout, "Deleted %d entries of %s.\n", n, bot)
		return exitOK
	case "resend":
		return dumpResend(env, d, st, url, bot, entries, positions, *to)
	}
	env.Errorf("intelmq dump: unknown action %q; use list, show, resend or delete.", action)
	return exitUsage
}

func parsePositions(args []string) ([]int, error) {
	var out []int
	for _, a := range args {
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not an entry number", a)
		}
		out = append(out, n)
	}
	return out, nil
}

func selected(entries []dump.Entry, positions []int) []int {
	if len(positions) > 0 {
		return positions
	}
	all := make([]int, len(entries))
	for i := range all {
		all[i] = i
	}
	return all
}

func dumpList(env *Env, d dump.Dir, asJSON bool) int {
	sums, err := d.List()
	if err != nil {
		env.Errorf("intelmq dump: %v", err)
		return exitUsage
	}
	if asJSON {
		if sums == nil {
			sums = []dump.Summary{}
		}
		return printJSON(env, sums)
	}
	if len(sums) == 0 {
		fmt.Fprintf(env.Stdout, "No dumped messages in %s.\n", relPath(string(d)))
		return exitOK
	}
	for _, s := range sums {
		fmt.Fprintf(env.Stdout, "%-32s %6d dumped, last %s: %s\n", s.BotID, s.Count, s.Last, s.LastError)
	}
	return exitOK
}

func dumpShow(env *Env, entries []dump.Entry, positions []int, asJSON bool) int {
	pos := selected(entries, positions)
	if asJSON {
		out := make([]dump.Entry, 0, len(pos))
		for _, p := range pos {
			out = append(out, entries[p])
		}
		return printJSON(env, out)
	}
	for _, p := range pos {
		e := entries[p]
		fmt.Fprintf(env.Stdout, "%d: %s from queue %s\n", p, e.Timestamp, e.SourceQueue)
		for _, line := range e.Traceback {
			fmt.Fprintf(env.Stdout, "    %s\n", line)
		}
		fmt.Fprintf(env.Stdout, "  message: %s\n", showMessage(e))
	}
	return exitOK
}

// showMessage indents a JSON message, or shows base64 bytes as they are.
func showMessage(e dump.Entry) string {
	if e.MessageType == dump.MessageTypeBase64 {
		return "(base64) " + e.Message
	}
	var b bytes.Buffer
	if json.Indent(&b, []byte(e.Message), "  ", "  ") != nil {
		return e.Message
	}
	return b.String()
}

func dumpResend(env *Env, d dump.Dir, st stateDir, url, bot string, entries []dump.Entry, positions []int, to string) int {
	b, err := openManagedBroker(url, st, queue.Options{})
	if err != nil {
		env.Errorf("intelmq dump: %v", err)
		return exitUsage
	}
	defer b.Close()
	pos := selected(entries, positions)
	sort.Ints(pos)
	var done []int
	for _, p := range pos {
		e := entries[p]
		msg, err := e.Bytes()
		if err != nil {
			env.Errorf("intelmq dump: entry %d: %v", p, err)
			continue
		}
		q := to
		if q == "" {
			q = e.SourceQueue
		}
		if err := b.Send(context.Background(), q, msg); err != nil {
			env.Errorf("intelmq dump: entry %d: %v", p, err)
			continue
		}
		done = append(done, p)
		fmt.Fprintf(env.Stdout, "Entry %d re-injected into queue %s.\n", p, q)
	}
	if len(done) > 0 {
		if _, err := d.Delete(bot, done...); err != nil {
			env.Errorf("intelmq dump: the entries were re-injected but not deleted: %v", err)
			return exitFindings
		}
	}
	if len(done) < len(pos) {
		return exitFindings
	}
	if len(done) == 0 {
		fmt.Fprintf(env.Stdout, "Bot %s has no dumped messages.\n", strings.TrimSpace(bot))
	}
	return exitOK
}
