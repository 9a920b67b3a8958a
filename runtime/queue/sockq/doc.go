// SPDX-License-Identifier: AGPL-3.0-or-later

// Package sockq lets other processes reach the queues of a broker that one
// process holds, over a unix socket. "intelmq run" holds the embedded
// queue (a file only one process may open) and serves it with Serve, so
// that "intelmq status", "queues", "clear", "dump resend" and "process
// --msg" work while the pipeline runs, as intelmqctl's commands do on
// IntelMQ's Redis. A Client is the queue.Broker of those commands: it
// sends, counts, lists and clears; taking messages (Consumer) stays with
// the process that runs the bots, so a message is never delivered to two.
//
// The socket is created with mode 0600 in the state directory: only the
// user who runs the pipeline reaches it. The protocol is one JSON object
// per line each way, a request and its reply, on a connection that stays
// open: {"op": "len", "queue": "q"} → {"n": 3}; {"op": "send", "queue":
// "q", "messages": [base64, …]} → {}; a failure is {"error": "…"}.
//
// It imports only runtime/queue and the standard library.
package sockq
