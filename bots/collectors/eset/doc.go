// SPDX-License-Identifier: AGPL-3.0-or-later

// Package eset is IntelMQ's ESET Threat Intelligence collector
// (intelmq.bots.collectors.eset.collector). Like IntelMQ, which uses the
// cabby library, it speaks TAXII 1.1 over HTTPS with basic authentication:
// a Discovery_Request to https://<endpoint>/taxiiservice/discovery finds the
// poll service, then a Poll_Request for the collection asks for the content
// added in the last time_delta (Exclusive_Begin_Timestamp and
// Inclusive_End_Timestamp), following Poll_Fulfillment requests while the
// server says there is more. Each non-empty content block is one Report:
// raw is the block (ESET's JSON list of domains or URLs), extra.eset_feed
// the collection and feed.url the discovery URL — the input of the eset
// parser.
//
// A TAXII Status_Message (UNAUTHORIZED, NOT_FOUND, ...) fails the
// collection with its status and message.
//
// It imports runtime/botapi, bots/internal/report, the stdlib packages and
// the standard library (net/http: TAXII 1.1 requests are POSTs).
package eset
