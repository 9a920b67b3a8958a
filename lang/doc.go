// SPDX-License-Identifier: AGPL-3.0-or-later

// Package lang reads the IntelMQ HCL language: it parses .hcl files with one
// hclparse.Parser and decodes them, explicitly and without gohcl, into an
// AST whose nodes keep their hcl.Range. The grammar comes from lang/schema.
//
// lang checks structure only: block and attribute names, label counts,
// attribute value types, mutually exclusive blocks. It does not resolve
// references, look up fields or compile expressions; that is the compiler's
// job. Expressions are kept as their source text with a way to map an offset
// inside the text back to a position in the file (see [Expr.Pos]).
//
// Every function returns hcl.Diagnostics, never an error, and decoding
// carries on after a problem so one run reports all of them.
//
// Dependencies: hcl, hclsyntax, hclwrite, cty, lang/schema and
// internal/didyoumean. It must not import compiler, runtime or stdlib.
package lang
