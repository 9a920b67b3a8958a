// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build !unix

package compiler

import "time"

// cpuTime is unknown on this platform; benchmarks then report 0.
func cpuTime() time.Duration { return 0 }
