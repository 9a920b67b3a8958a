// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the golden sections of testscript files")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"intelmq": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs every testscript under testdata/script/<group>/ of the
// repository: CLI scenarios, one file per diagnostic class, and more.
func TestScripts(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "script", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no testscript folders found under testdata/script")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			testscript.Run(t, scriptParams(dir))
		})
	}
}

func scriptParams(dir string) testscript.Params {
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	return testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitfile": waitFile,
		},
		Setup: func(e *testscript.Env) error {
			// Scripts may refer to the repository's examples and samples.
			e.Setenv("REPO", root)
			return nil
		},
	}
}

// waitFile is the script command "waitfile PATH": it waits up to a minute
// for PATH to exist (a socket a background "intelmq run" creates).
func waitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile PATH")
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
	}
	ts.Fatalf("%s did not appear within a minute", args[0])
}
