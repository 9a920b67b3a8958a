// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build !linux

package main

import "os"

// maxRSS returns 0: the unit of rusage's Maxrss differs between systems,
// and only Linux's is relied on.
func maxRSS(*os.ProcessState) int64 { return 0 }
