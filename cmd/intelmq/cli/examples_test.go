// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamples compiles every configuration under examples/ (each directory
// holding .hcl files is one) with the binary's registry and catalogue: the
// examples must validate without errors or warnings, so they cannot rot.
func TestExamples(t *testing.T) {
	root := filepath.Join("..", "..", "..", "examples")
	dirs := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".hcl") {
			dirs[filepath.Dir(path)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !dirs[filepath.Join(root, "quickstart")] {
		t.Fatal("examples/quickstart has no .hcl files")
	}
	for dir := range dirs {
		t.Run(strings.TrimPrefix(filepath.ToSlash(dir), "../../../"), func(t *testing.T) {
			c, err := compilePaths([]string{dir}, compileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.diags) > 0 {
				var buf bytes.Buffer
				writeTextDiagnostics(&buf, c.loader.Files(), c.diags)
				t.Fatalf("diagnostics:\n%s", buf.String())
			}
			if c.plan == nil || len(c.plan.Feeds) == 0 {
				t.Fatal("the example compiles to an empty plan")
			}
		})
	}
}
