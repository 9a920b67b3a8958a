// SPDX-License-Identifier: AGPL-3.0-or-later

// Package rsync is IntelMQ's rsync collector
// (intelmq.bots.collectors.rsync.collector_rsync) as the Go bot
// collector.rsync.
//
// A collection runs the system's rsync binary to mirror one file,
// rsync_path joined with file (a local path, "host::module/dir/", a
// "rsync://host/module/" URL or "user@host:dir/" over ssh), into
// temp_directory, which keeps the copy between collections so rsync only
// transfers what changed. When rsync succeeds the whole file is sent as
// one Report (as IntelMQ does, also when it did not change); when it fails
// the collection fails with rsync's exit code and error output and sends
// nothing. rsync writes a transferred file under a temporary name and
// renames it when complete, so the file read is never a partial one.
//
// With rsync_file_path_formatting, {time[<strftime format>]} in file and
// rsync_path is replaced with the current time plus rsync_time_offset
// (IntelMQ's time-delta value of the same parameter). A private_key (the
// key text) or private_key_path makes rsync use ssh with that key.
//
// It imports runtime/botapi, the stdlib packages, bots/internal and the
// standard library, and runs the rsync program. Its tests need rsync: they
// mirror from a local folder and from an rsync daemon they start on a
// loopback port.
package rsync
