// SPDX-License-Identifier: AGPL-3.0-or-later

// Package fireeye is IntelMQ's Fireeye MAS collector
// (intelmq.bots.collectors.fireeye.collector_mas), registered as
// collector.fireeye_mas. It collects the malware alerts of a Fireeye email
// (EMAIL_MPS) or file (MAS) analysis appliance through the appliance's
// Web Services API, for the feed fireeye_malware_analysis_system, whose
// parser is the Go parser bot parser.fireeye (bots/parsers/fireeye).
//
// Each collection, against https://<host>/wsapis/v2.0.0/:
//
//  1. logs in: POST auth/login with HTTP basic authentication
//     (http_username, http_password); the appliance answers with the
//     session token in the X-FeApi-Token header;
//  2. queries the alerts: GET alerts?duration=<request_duration> with the
//     token and "Accept: application/json", a JSON object whose "alert"
//     list holds the alerts with their uuid, product and name;
//  3. for each alert of product EMAIL_MPS or MAS named MALWARE_OBJECT (the
//     ones IntelMQ keeps) not sent before, downloads its OpenIOC document
//     (GET openioc?alert_uuid=<uuid> with the token) and, when the first
//     indicator of the document's criteria holds an MD5 file item
//     (FileItem/Md5sum, IntelMQ's test), sends the document as a Report:
//     raw is the XML, feed.url the document's URL (it holds no
//     credentials: the token is a header), besides the feed's fields and
//     time.observation;
//  4. logs out: POST auth/logout with the token, also when the collection
//     failed or was cancelled. A failed logout is logged as a warning.
//
// Parameters: host is the appliance's DNS name, optionally with a port;
// request_duration is the duration of the alerts query as the appliance
// writes it ("24_hours", "48_hours"; <n>_hour(s) is accepted); the
// credentials are http_username and http_password. The HTTP parameters
// timeout, retries, proxy, user_agent and max_size (APIParams) and
// verify_cert, ca_file, client_certificate and client_key (TLSParams) are
// the http collector's. Network errors, timeouts, HTTP 429 and 5xx are
// retried with a doubling delay; a refused login (HTTP 401 or 403) fails
// the collection with an error naming http_username and http_password.
//
// httpcollector.Client does not make the requests: it only GETs, and its
// headers are fixed when it is built, while the login and logout are POSTs,
// the token changes with every collection and the two downloads need
// different Accept headers. The collector's own net/http client takes its
// TLS settings from httpcollector.TLSConfig and the same client
// certificate, proxy and timeout settings.
//
// Differences from IntelMQ, on purpose:
//   - the UUIDs of the alerts handled are remembered in the bot's state
//     directory (bots/internal/seenfiles), so an alert listed by several
//     collections (request_duration is longer than interval) is sent once;
//     IntelMQ sends every alert of the duration at every run. A UUID is
//     remembered once its Report is emitted (or its document is found to
//     hold no MD5 item), and forgotten when it is no longer listed and was
//     sent more than twice request_duration ago;
//   - a document is sent once per alert; IntelMQ sends it once per MD5
//     item of its first indicator;
//   - an alert whose document cannot be downloaded, or is not OpenIOC XML,
//     is logged as an error, the other alerts are sent, and the collection
//     then fails so that it is retried (the alert is not remembered);
//     IntelMQ ignores the status of the download and stops on XML it
//     cannot parse;
//   - the login's status is checked (IntelMQ: "Could not connect to
//     appliance check User/PW."), a missing token is an error, and the
//     credentials are sent with the login only (IntelMQ's session sends
//     them with every request);
//   - the collector logs out at the end of each collection; IntelMQ never
//     does, leaving its sessions to expire on the appliance;
//   - no alert, or an "alert" that is a single object instead of a list,
//     is accepted (IntelMQ fails on an empty list), and an entry without a
//     uuid is logged and skipped;
//   - request_duration defaults to "24_hours" (IntelMQ requires it) and is
//     checked; a warning says when interval is longer than it;
//   - IntelMQ's http_timeout_sec, http_timeout_max_tries, http_verify_cert,
//     http_proxy and http_user_agent are timeout, retries, verify_cert,
//     proxy and user_agent, as for the other API collectors.
//
// It imports bots/collectors/http (parameters, TLS), bots/internal/report,
// bots/internal/seenfiles, runtime/botapi and the standard library.
package fireeye
