// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"os"

	"github.com/intelmq-go/intelmq/runtime/runner"
)

// tuneGC keeps the garbage collector's target at runner.GCPercentFor the
// live heap until ctx ends, unless the user chose one with GOGC.
func tuneGC(ctx context.Context) {
	if _, set := os.LookupEnv("GOGC"); !set {
		go runner.TuneGC(ctx)
	}
}
