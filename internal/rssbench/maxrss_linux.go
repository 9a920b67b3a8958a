// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"syscall"
)

// maxRSS returns the peak resident set size of an ended process in bytes
// (Linux reports kilobytes).
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}
