// SPDX-License-Identifier: AGPL-3.0-or-later

// Package http is IntelMQ's generic HTTP collector
// (intelmq.bots.collectors.http.collector_http): it downloads one URL,
// optionally with {time[...]} placeholders, and sends the document as a
// Report, or one Report per file of a zip, tar(.gz|.bz2) or gzip download
// with extra.file_name, with feed.url set to the URL fetched.
//
// With verify_pgp_signatures it downloads the detached signature at
// signature_url and checks the document against the keys of gpg_keyring
// (go-crypto's OpenPGP) before sending anything; a signature that does not
// verify fails the collection (pgp.go).
//
// Beyond IntelMQ it sends the ETag and Last-Modified of the previous
// download (a 304 answer produces no report), kept in the bot's state
// directory across restarts, retries network errors, timeouts, 429 and 5xx
// with a doubling delay, and recognises archives by their content. A
// status other than 2xx after the retries is an error naming the status.
//
// Client and Extract give other collectors (the mail collector's url and
// attach modes) the same downloads and archive handling.
//
// It imports runtime/botapi, the stdlib packages, go-crypto's openpgp and
// the standard library.
package http
