// SPDX-License-Identifier: AGPL-3.0-or-later

// Package file is IntelMQ's file collector
// (intelmq.bots.collectors.file.collector_file): it reads the files of a
// directory that match a glob pattern, sends one Report per file (or per
// chunk of a large file, with the header line replicated) with
// extra.file_name and feed.url set, and afterwards deletes the file or moves
// it to another directory.
//
// It imports runtime/botapi and the stdlib packages only.
package file
