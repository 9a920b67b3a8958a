// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"strings"
)

// withArticle prefixes the name of a type or kind with "a" or "an", as
// English wants: "a string", "an int", "an output".
func withArticle(v any) string {
	w := fmt.Sprint(v)
	if w != "" && strings.ContainsRune("aeiouAEIOU", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}
