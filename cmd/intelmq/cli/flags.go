// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"errors"
	"flag"
)

// parseFlags parses args with fs, accepting flags after positional
// arguments too ("intelmq run DIR --once"), as operators type them; a "--"
// ends the flags, everything after it is positional. The positional
// arguments, in order, are fs.Args() afterwards.
//
// ok is false when the command must stop with code: -h or --help prints the
// command's usage and flags on standard output and gives exitOK (help was
// asked for, it is no error); a bad flag prints the error and the usage on
// standard error and gives exitUsage. A command's Usage function must write
// to fs.Output().
func parseFlags(env *Env, fs *flag.FlagSet, args []string) (code int, ok bool) {
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(env.Stdout)
			usage()
			fs.SetOutput(env.Stderr)
			return exitOK, false
		}
		if err != nil {
			usage()
			return exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	// Parse once more so that fs.Args() holds every positional argument.
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return exitUsage, false
	}
	return exitOK, true
}
