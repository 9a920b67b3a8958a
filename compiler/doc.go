// SPDX-License-Identifier: AGPL-3.0-or-later

// Package compiler turns the AST of the IntelMQ HCL language into an
// immutable [plan.Plan], checking everything that can be checked before
// anything runs: field names and constant values against the harmonization
// schema, expr-lang expressions against a typed record environment and the
// function catalogue, bot parameters against each bot's declared Spec, and
// the routing graph.
//
// [Compile] is a pure function: no I/O, no globals, deterministic output. It
// runs small passes, one file each: declare (symbol tables, duplicates) →
// library (the declarations of [Env.Library] the files use, directly or
// transitively; the files' own shadow them) → resolve (references, bot specs and parameters) → typecheck and lower
// (parsers, expressions, constants) → graph (nodes, routes, cycles,
// reachability). All problems come back as hcl.Diagnostics in one run, each
// with a tight Subject range and a Detail that says how to fix it.
//
// Dependencies: lang, lang/schema, compiler/plan, stdlib, runtime/botapi
// (Specs only), expr-lang, hcl and cty. It must not import runtime packages
// other than botapi, nor cmd.
package compiler
