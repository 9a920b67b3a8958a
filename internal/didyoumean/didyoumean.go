// SPDX-License-Identifier: AGPL-3.0-or-later

package didyoumean

import (
	"fmt"

	"github.com/agext/levenshtein"
)

// maxDistance is the largest edit distance still suggested, as in hcl.
const maxDistance = 3

// NameSuggestion returns the candidate closest to given by Levenshtein
// distance, if that distance is below 3 (or the only difference is case);
// otherwise "". Ties go to the earlier candidate, so callers pass candidates
// in a stable order.
func NameSuggestion(given string, candidates []string) string {
	best, bestDist := "", maxDistance
	for _, c := range candidates {
		if c == given {
			continue
		}
		d := levenshtein.Distance(given, c, nil)
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Suffix returns " Did you mean %q?" for the suggestion for given, or "" when
// there is none. It is meant to be appended to a diagnostic's Detail.
func Suffix(given string, candidates []string) string {
	if s := NameSuggestion(given, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
