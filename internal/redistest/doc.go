// SPDX-License-Identifier: AGPL-3.0-or-later

// Package redistest starts a private redis-server for a test: on a unix
// socket in a temporary directory, with persistence off, killed when the
// test ends. Tests never touch a Redis they did not start.
//
// The redis-server binary must be on PATH (Debian: apt-get install
// redis-server); without it the test fails with that hint, it is not
// skipped. It imports only the standard library.
package redistest
