// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build !unix

package pipelinebench

import (
	"testing"
	"time"
)

// cpuTime is unknown here: the CPU metric reads 0.
func cpuTime(*testing.B) time.Duration { return 0 }
