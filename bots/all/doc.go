// SPDX-License-Identifier: AGPL-3.0-or-later

// Package all registers every Go bot bundled with intelmq: the command line
// calls Register once with the registry the compiler and the runtime share.
// There is no init-time registration; a binary that wants fewer bots calls
// the bot packages' Register functions itself.
package all
