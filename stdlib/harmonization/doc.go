// SPDX-License-Identifier: AGPL-3.0-or-later

// Package harmonization owns IntelMQ's data format: the harmonization schema
// (loaded from the embedded harmonization.conf, the single source of truth),
// the field types with IntelMQ's exact validate and sanitize rules, the typed
// Value every message field holds, and the error types that name a key, a
// value and a reason.
//
// It imports only the standard library and small leaf modules
// (golang.org/x/net for IDNA). It must not import any other package of this
// project.
package harmonization
