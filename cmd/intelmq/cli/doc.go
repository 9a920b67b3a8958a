// SPDX-License-Identifier: AGPL-3.0-or-later

// Package cli is the intelmq command line: it parses flags, wires the
// schema, the bot registry, the compiler and the brokers together, and runs
// one subcommand. It is the only package that imports everything; each
// subcommand lives in its own file.
package cli
