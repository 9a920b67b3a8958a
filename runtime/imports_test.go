// SPDX-License-Identifier: AGPL-3.0-or-later

package runtime

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports checks that no package of runtime/ or bots/ depends on the
// language, the compiler or HCL: the runtime executes plans only.
func TestImports(t *testing.T) {
	const module = "github.com/intelmq-go/intelmq/"
	forbidden := []string{module + "lang", module + "compiler", "github.com/hashicorp/hcl"}
	allowed := module + "compiler/plan"
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../runtime/...", "../bots/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == allowed || strings.HasPrefix(dep, allowed+"/") {
			continue
		}
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("a runtime or bot package depends on %s", dep)
			}
		}
	}
}
