// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/intelmq-go/intelmq/lang"
)

// FuzzCompile decodes and compiles arbitrary HCL: the result is
// diagnostics or a plan, never a panic, and every diagnostic from the
// compiler has a range.
func FuzzCompile(f *testing.F) {
	for _, dir := range []string{"errors", "valid"} {
		names, _ := filepath.Glob(filepath.Join("testdata", dir, "*.hcl"))
		for _, n := range names {
			src, err := os.ReadFile(n)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(src))
		}
	}
	f.Add(`parser "p" { json {} map = { "source.ip" = "let x = a; x" "extra.a" = "{a: 1}" } each { list = "b" map = { "extra.b" = "item.c" } } }`)
	f.Add(`pipeline "a" { route { when = "event['source.ip'] == nil && extra.x.y" to = [pipeline.a] } }`)
	env := testEnv(f)
	f.Fuzz(func(t *testing.T, src string) {
		file, _ := lang.NewLoader().Parse("fuzz.hcl", []byte(src))
		p, diags := Compile([]*lang.File{file}, env)
		for _, d := range diags {
			if d.Subject == nil {
				t.Errorf("diagnostic without range: %s: %s", d.Summary, d.Detail)
			}
		}
		if p == nil && !diags.HasErrors() {
			t.Error("no plan and no error")
		}
		if p != nil && diags.HasErrors() {
			t.Error("a plan despite errors")
		}
	})
}
