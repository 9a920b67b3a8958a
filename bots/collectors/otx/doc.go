// SPDX-License-Identifier: AGPL-3.0-or-later

// Package otx is IntelMQ's AlienVault OTX collector
// (intelmq.bots.collectors.alienvault_otx.collector). IntelMQ uses the
// OTXv2 library, which reads the REST API: GET
// <api_url>/api/v1/pulses/subscribed with the key in the X-OTX-API-KEY
// header, following the "next" links of the pages. Every collection sends
// one Report whose raw is the JSON list of all the pulses the account
// subscribes to, or with modified_pulses_only those modified within
// modified_window, as IntelMQ's collector does.
//
// A report is emitted only after every page was read; a failed page fails
// the collection. "next" links are followed only on the host of api_url,
// so the key never goes elsewhere.
//
// It imports bots/collectors/http (downloads), runtime/botapi, the stdlib
// packages and the standard library.
package otx
