// SPDX-License-Identifier: AGPL-3.0-or-later

// Package parserutil holds small helpers shared by the Go parser bots of
// bots/parsers: IntelMQ's harmonization is_valid checks on a bare value.
//
// It imports the stdlib packages only.
package parserutil
