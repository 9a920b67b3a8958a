// SPDX-License-Identifier: AGPL-3.0-or-later

package bottest

import "github.com/intelmq-go/intelmq/runtime/botapi"

// Params returns the parameters the compiler would give a bot of spec for
// a block that sets nothing: every declared default. The caller sets the
// parameters its test needs on top.
func Params(spec botapi.Spec) botapi.MapParams {
	p := botapi.MapParams{}
	for _, param := range spec.Params {
		if param.Default != nil {
			p[param.Name] = param.Default
		}
	}
	return p
}
