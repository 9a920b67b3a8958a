// SPDX-License-Identifier: AGPL-3.0-or-later

// Package botapi is the contract between Go bots, the compiler and the
// runtime.
//
// The declaration side (spec.go, registry.go): a bot declares a [Spec], a
// namespaced ID such as "expert.taxonomy", its [Kind], a doc string and its
// typed parameters. Bots are registered explicitly with [Registry.Register]
// by the code that assembles a binary (bots/all, cmd/intelmq/cli); there is
// no init() registration and no global registry. The compiler reads only the
// Specs: it checks every `collect`, `expert`, `output` and `bot` block of the
// HCL against the Spec of the bot it names, so a bad parameter is a
// compile-time diagnostic.
//
// The runtime side (bot.go, params.go, context.go, parser.go): the [Bot] a
// [Constructor] builds from a [Context] and its checked [Params], the
// optional lifecycle interfaces found by type assertion, the [Sender] and
// [Emitter] a bot sends messages through, and the [Parser] and [Records] of
// a parser bot written in Go (its Spec names the IntelMQ module it replaces
// in IntelMQModule; [ParserParams] are the parameters every parser bot
// takes).
//
// Dependencies: the standard library and stdlib only. This package must not
// import hcl, cty, lang, compiler or runtime packages other than itself.
package botapi
