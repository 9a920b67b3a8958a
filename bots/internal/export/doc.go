// SPDX-License-Identifier: AGPL-3.0-or-later

// Package export is IntelMQ's OutputBot.export_event for the Go outputs
// that write events as text (file, stdout): the common parameters
// single_key, keep_raw_field, hierarchical_output and message_with_type,
// declared once, and the formatting of an event as one line.
//
// It imports runtime/botapi and the stdlib packages only.
package export
