// SPDX-License-Identifier: AGPL-3.0-or-later

// Package stdout is an output that writes every event to standard output
// as one JSON line, formatted like the file output (IntelMQ pipelines use
// the file output with /dev/stdout for this). Lines are written when the
// runner flushes a batch.
//
// It imports runtime/botapi and the stdlib packages only.
package stdout
