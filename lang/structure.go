// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/lang/schema"
)

// namePattern is the form of a declared name: it becomes part of IntelMQ bot
// ids and of references, so it is an HCL identifier without dashes' surprises.
var namePattern = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_-]*$`)

// checkName checks the block label at index i as a declared name.
func checkName(b *hcl.Block, i int) hcl.Diagnostics {
	if i >= len(b.Labels) || namePattern.MatchString(b.Labels[i]) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid name",
		Detail: fmt.Sprintf("The name %q of this %s cannot be used in references: a name starts with a letter or "+
			"underscore and holds only letters, digits, underscores and dashes.", b.Labels[i], b.Type),
		Subject: b.LabelRanges[i].Ptr(),
	}}
}

// checkSingle reports a second block of a Single kind, and a second block of
// the same Group, citing the first.
func checkSingle(blocks hcl.Blocks, s *schema.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seenType := map[string]*hcl.Block{}
	seenGroup := map[string]*hcl.Block{}
	for _, b := range blocks {
		cs := s.Block(b.Type)
		if cs == nil {
			continue
		}
		if first, ok := seenType[b.Type]; ok && cs.Single {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate " + b.Type + " block",
				Detail: fmt.Sprintf("A %s block may have only one %s block; the first was declared at %s.",
					s.Type, b.Type, at(first.DefRange)),
				Subject: b.TypeRange.Ptr(),
			})
			continue
		}
		seenType[b.Type] = b
		if cs.Group == "" {
			continue
		}
		if first, ok := seenGroup[cs.Group]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Conflicting " + cs.Group + " blocks",
				Detail: fmt.Sprintf("A %s has exactly one %s block; this %s block conflicts with the %s block at %s. Remove one of them.",
					s.Type, cs.Group, b.Type, first.Type, at(first.DefRange)),
				Subject: b.TypeRange.Ptr(),
			})
			continue
		}
		seenGroup[cs.Group] = b
	}
	return diags
}

// at formats a range's start as "file:line:col" for diagnostic details.
func at(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}
