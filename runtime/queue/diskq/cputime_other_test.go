// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build !unix

package diskq_test

import (
	"testing"
	"time"
)

// cpuTime is unknown here: -1.
func cpuTime(*testing.B) time.Duration { return -1 }
