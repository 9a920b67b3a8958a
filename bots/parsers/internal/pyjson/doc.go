// SPDX-License-Identifier: AGPL-3.0-or-later

// Package pyjson reads JSON as Python's json.loads does, keeping what a
// Go map loses and IntelMQ's parsers depend on: the order of an object's
// keys (Python dicts keep insertion order; a repeated key keeps its first
// position and its last value) and the difference between integers and
// floats. It writes values back as Python's json.dumps() does with its
// defaults (", " and ": " separators, non-ASCII escaped), which is the raw
// text IntelMQ gives an event parsed from a JSON list.
//
// It imports the standard library and stdlib/harmonization only.
package pyjson
