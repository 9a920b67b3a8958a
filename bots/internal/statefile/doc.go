// SPDX-License-Identifier: AGPL-3.0-or-later

// Package statefile keeps a bot's small state (a collector's validators,
// the mails or reports already sent) in a JSON file of its state
// directory, written atomically so that a crash leaves the old file or the
// new one, never a torn one.
//
// It imports the standard library only.
package statefile
