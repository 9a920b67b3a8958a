// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build !unix

package parse

import "time"

// cpuTime returns 0 where the process's CPU time is not available; the
// benchmarks then report no CPU figures.
func cpuTime() time.Duration { return 0 }
