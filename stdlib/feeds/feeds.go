// SPDX-License-Identifier: AGPL-3.0-or-later

package feeds

import (
	"embed"
	"io/fs"
	"sort"
)

// library holds the HCL files of the shipped library. It is only read.
//
//go:embed parsers/*.hcl feeds/*.hcl
var library embed.FS

// Root is the repository directory the library's files are shown under in
// diagnostics and plans, so "stdlib/feeds/parsers/dyn.hcl:3:5" is not mistaken
// for a file of the user's.
const Root = "stdlib/feeds"

// Files returns the library as a read-only file system: parsers/*.hcl and
// feeds/*.hcl.
func Files() fs.FS { return library }

// Paths returns the paths of the library's HCL files in Files, sorted.
func Paths() []string {
	var out []string
	for _, dir := range []string{"parsers", "feeds"} {
		matches, err := fs.Glob(library, dir+"/*.hcl")
		if err != nil {
			continue // the patterns are constant and valid
		}
		out = append(out, matches...)
	}
	sort.Strings(out)
	return out
}
