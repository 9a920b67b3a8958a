// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/lang"
)

func runFmt(env *Env, args []string) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	check := fs.Bool("check", false, "list the files that are not formatted and exit 1, without changing them")
	recursive := fs.Bool("recursive", false, "also format the files in subdirectories")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq fmt [-check] [-recursive] [paths...]")
		fmt.Fprintln(fs.Output(), "Rewrites .hcl files in the canonical layout and prints the names of the files it changed.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	names, diags := lang.ListFiles(pathArgs(fs), *recursive)
	if diags.HasErrors() {
		writeTextDiagnostics(env.Stderr, nil, diags)
		return exitUsage
	}
	status := exitOK
	files := map[string]*hcl.File{}
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			env.Errorf("intelmq fmt: %v", err)
			return exitUsage
		}
		out, diags := lang.Format(name, src)
		if diags.HasErrors() {
			files[name] = &hcl.File{Bytes: src}
			writeTextDiagnostics(env.Stderr, files, diags)
			status = exitFindings
			continue
		}
		if bytes.Equal(out, src) {
			continue
		}
		fmt.Fprintln(env.Stdout, name)
		if *check {
			status = exitFindings
			continue
		}
		if err := os.WriteFile(name, out, 0o644); err != nil {
			env.Errorf("intelmq fmt: %v", err)
			return exitUsage
		}
	}
	return status
}
