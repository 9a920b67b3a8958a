// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"github.com/intelmq-go/intelmq/bots/all"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// botRegistry builds the Registry of the Go bots this binary offers: every
// bundled bot, registered by bots/all. The compiler checks `collect`,
// `expert`, `output` and `bot` blocks against their Specs.
func botRegistry() (*botapi.Registry, error) {
	r := botapi.NewRegistry()
	if err := all.Register(r); err != nil {
		return nil, err
	}
	return r, nil
}
