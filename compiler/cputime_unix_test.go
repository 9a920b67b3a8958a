// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build unix

package compiler

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) the process used so far, so
// benchmarks on a shared machine can report it beside the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
