// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// gcHeadroom is the most the heap may grow above its live size between
// two collections under TuneGC, unless that is less than Go's default of
// once the live size.
const gcHeadroom = 256 << 20

// GCPercentFor returns the garbage collector's target for a live heap of
// live bytes: GCPercent while four times the live heap fits in
// gcHeadroom, less as the live heap grows, and never below Go's default
// 100. A pipeline whose live heap is large (a deduplicator with millions
// of hashes in its local cache) then does not peak at five times it.
func GCPercentFor(live uint64) int {
	if live == 0 || live*GCPercent/100 <= gcHeadroom {
		return GCPercent
	}
	return int(max(100, min(GCPercent, gcHeadroom*100/live)))
}

// gcTuneInterval is how often TuneGC looks at the live heap.
const gcTuneInterval = time.Second

// TuneGC sets the garbage collector's target to GCPercentFor the live heap
// now and then again every second, until ctx ends. "intelmq run" calls it
// unless GOGC is set.
func TuneGC(ctx context.Context) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	current := -1
	tune := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		if p := GCPercentFor(sample[0].Value.Uint64()); p != current {
			debug.SetGCPercent(p)
			current = p
		}
	}
	tune()
	t := time.NewTicker(gcTuneInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tune()
		}
	}
}
