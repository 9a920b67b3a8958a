// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import "testing"

// TestGCPercentFor checks the target for small and large live heaps: the
// heap's growth between collections is at most gcHeadroom, or once the
// live heap when that is larger.
func TestGCPercentFor(t *testing.T) {
	const mb = 1 << 20
	for _, tt := range []struct {
		live uint64
		want int
	}{
		{0, GCPercent},
		{10 * mb, GCPercent},
		{64 * mb, GCPercent},
		{128 * mb, 200},
		{200 * mb, 128},
		{256 * mb, 100},
		{4096 * mb, 100},
	} {
		if got := GCPercentFor(tt.live); got != tt.want {
			t.Errorf("GCPercentFor(%d MiB) = %d, want %d", tt.live/mb, got, tt.want)
		}
		if growth := tt.live * uint64(GCPercentFor(tt.live)) / 100; tt.live > 0 && growth > max(gcHeadroom, tt.live) {
			t.Errorf("live %d MiB: the heap may grow by %d MiB", tt.live/mb, growth/mb)
		}
	}
}
