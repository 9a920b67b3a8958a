// SPDX-License-Identifier: AGPL-3.0-or-later

// Package schema is the single declarative description of the IntelMQ HCL
// language: every block, its labels, attributes, types, defaults and doc
// strings. The lang decoder derives its hcl.BodySchema and its "did you
// mean" candidates from it, and documentation is generated from it; no other
// package keeps a second list of block or attribute names.
//
// It is pure data and imports only the standard library: it must not import
// hcl, cty or any package of this module.
package schema
