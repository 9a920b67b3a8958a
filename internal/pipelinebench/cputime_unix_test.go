// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build unix

package pipelinebench

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the processor time the process used so far, user and
// system: unlike wall time it hardly depends on the load of the machine.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
