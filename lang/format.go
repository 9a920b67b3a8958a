// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format returns src in the canonical layout of hclwrite: aligned equals
// signs, normalised indentation and spacing. Comments and the order of
// everything are kept. A file that does not parse is returned unchanged
// with the syntax diagnostics.
func Format(filename string, src []byte) ([]byte, hcl.Diagnostics) {
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return src, diags
	}
	return hclwrite.Format(src), nil
}
