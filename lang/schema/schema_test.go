// SPDX-License-Identifier: AGPL-3.0-or-later

package schema

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// walk calls fn for every block of the language, depth first.
func walk(b *Block, fn func(*Block)) {
	fn(b)
	for _, c := range b.Blocks {
		walk(c, fn)
	}
}

// TestSchemaWellFormed checks that every block and attribute has a name in
// lower_snake_case and a doc sentence, and that names are unique.
func TestSchemaWellFormed(t *testing.T) {
	name := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	walk(File(), func(b *Block) {
		if !name.MatchString(b.Type) || b.Doc == "" || !strings.HasSuffix(b.Doc, ".") {
			t.Errorf("block %q: bad name or doc %q", b.Type, b.Doc)
		}
		seen := map[string]bool{}
		for _, a := range b.Attrs {
			if !name.MatchString(a.Name) || a.Type == 0 || a.Doc == "" || !strings.HasSuffix(a.Doc, ".") {
				t.Errorf("%s.%s: bad name, type or doc %q", b.Type, a.Name, a.Doc)
			}
			if seen[a.Name] {
				t.Errorf("%s.%s declared twice", b.Type, a.Name)
			}
			seen[a.Name] = true
			if (a.Type == Ref || a.Type == RefList) && len(a.Refs) == 0 {
				t.Errorf("%s.%s is a reference without kinds", b.Type, a.Name)
			}
		}
		for _, c := range b.Blocks {
			if seen[c.Type] {
				t.Errorf("%s: %q is both an attribute and a block", b.Type, c.Type)
			}
		}
	})
}

// TestDocsCoverSchema keeps docs/language.md in step with the schema:
// every block type and attribute must be mentioned.
func TestDocsCoverSchema(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "language.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	walk(File(), func(b *Block) {
		if b.Type != "file" && !strings.Contains(text, b.Type+" ") && !strings.Contains(text, b.Type+" {") {
			t.Errorf("docs/language.md does not mention the block %q", b.Type)
		}
		for _, a := range b.Attrs {
			if !regexp.MustCompile(`\b` + a.Name + `\b`).MatchString(text) {
				t.Errorf("docs/language.md does not mention the attribute %s.%s", b.Type, a.Name)
			}
		}
	})
}
