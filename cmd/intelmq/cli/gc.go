// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"os"
	"runtime/debug"

	"github.com/intelmq-go/intelmq/runtime/runner"
)

// tuneGC sets runner.GCPercent unless the user chose with GOGC (GOGC=100
// is Go's default, for a pipeline with a large live heap such as a
// deduplicator's big local cache).
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(runner.GCPercent)
	}
}
