// SPDX-License-Identifier: AGPL-3.0-or-later

// Package file is IntelMQ's file output (intelmq.bots.outputs.file.output):
// it appends every event to a file as one line of JSON, exactly as IntelMQ
// writes it (json.dumps with sorted keys and unescaped UTF-8, raw removed
// unless keep_raw_field, optionally hierarchical or with "__type"), and with
// format_filename builds the file name from the event with Python's format
// syntax, time fields being datetimes: "{event[time.source]:%Y-%m-%d}".
//
// Lines are buffered and written when the runner flushes a batch, before
// the batch is acknowledged. A file moved away by log rotation is reopened.
//
// It imports runtime/botapi and the stdlib packages only.
package file
