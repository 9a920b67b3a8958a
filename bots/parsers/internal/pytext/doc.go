// SPDX-License-Identifier: AGPL-3.0-or-later

// Package pytext holds the few Python string operations the Go ports of
// IntelMQ's parser bots need to split and clean text exactly as IntelMQ
// does: str.splitlines, str.strip and str.split without arguments (which
// know more line breaks and whitespace than Go's strings package), and
// int() of a string.
//
// It imports the standard library only.
package pytext
