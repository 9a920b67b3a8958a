// SPDX-License-Identifier: AGPL-3.0-or-later

// Command rssbench measures the peak memory of "intelmq run --once" on a
// large CSV report, as "make rss" runs it: it generates a Feodo
// Tracker-style CSV of the requested size in a temporary directory, writes
// a pipeline (file collector → CSV parser → file output, on the embedded
// queue), runs the built intelmq binary on it and prints the binary's
// maximum resident set size (wait4's rusage), its ratio to the size of the
// report, the wall time and the number of events written.
//
//	go build -o bin/intelmq ./cmd/intelmq
//	go run ./internal/rssbench -bin bin/intelmq -mb 100
//
// GODEBUG (gctrace=1) and the other variables of the environment pass to
// the binary. It owns no code of the pipeline; its tests check the
// generator and are fast.
package main
