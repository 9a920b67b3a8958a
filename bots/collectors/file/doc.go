// SPDX-License-Identifier: AGPL-3.0-or-later

// Package file is IntelMQ's file collector
// (intelmq.bots.collectors.file.collector_file): it reads the files of a
// directory that match a glob pattern, sends one Report per file (or per
// chunk of a large file, with the header line replicated) with
// extra.file_name and feed.url set, and afterwards deletes the file or moves
// it to another directory.
//
// Beyond IntelMQ, a file of line-oriented text above chunk_auto_above
// bytes (16 MiB) is split by default into reports of chunk_auto_size
// bytes (1 MiB), cut at line ends outside double-quoted fields, each
// starting with the file's header: its leading comment and blank lines
// and the header rows of the feed's parser after them (botapi.ParserHint;
// chunk_header_rows sets them by hand). A feed whose parser needs each
// report whole is never split. A file is held several times
// over while it travels as one report (base64 in the report, JSON on the
// queue, copies in the queue and the parser); split, it needs a few
// megabytes whatever its size. JSON, HTML and XML documents and binary
// data are never split automatically. An explicit chunk_size keeps
// IntelMQ's behaviour.
//
// It imports runtime/botapi and the stdlib packages only.
package file
