// SPDX-License-Identifier: AGPL-3.0-or-later

// Package blueliv is IntelMQ's Blueliv Crimeserver collector
// (intelmq.bots.collectors.blueliv.collector_crimeserver): at each
// collection it asks Blueliv's API for the crime servers online
// (GET <api_url>/v1/crimeserver/online, with the api_key sent as
// "Authorization: bearer <api_key>", as Blueliv's Python SDK does) and sends
// their list as one Report whose raw is a JSON array, the input of the
// blueliv_crimeserver parser.
//
// The API answers either a JSON array or an object holding the array
// (under "crimeServers"); both are accepted. An empty list sends nothing.
//
// It imports bots/collectors/http (the HTTP client), bots/internal/report,
// runtime/botapi, the stdlib packages and the standard library.
package blueliv
