// SPDX-License-Identifier: AGPL-3.0-or-later

// Package rt is IntelMQ's Request Tracker collector
// (intelmq.bots.collectors.rt.collector_rt) as the Go bot collector.rt.
//
// A collection logs in to RT's REST 1.0 interface (as the python rt
// library IntelMQ uses does: a form POST of user and pass, then a session
// cookie), searches the tickets with a TicketSQL query built from the
// search_* parameters (ordered by creation), and handles each ticket:
//
//   - the first attachment whose name matches attachment_regex is
//     downloaded; with extract_attachment a zip, tar or gzip attachment
//     gives one Report per file;
//   - else the first URL that url_regex finds in the text of the ticket's
//     first transaction is downloaded with the HTTP collector's client;
//     with extract_download an archive gives one Report per file;
//   - every Report carries rtir_id, time.observation (RT's creation time
//     of the attachment or transaction), extra.file_name,
//     extra.email_subject and extra.ticket_subject, extra.email_from and
//     extra.ticket_requestors, extra.ticket_queue, extra.ticket_status and
//     extra.ticket_owner, as IntelMQ's do.
//
// A ticket's reports are all built before the first is sent, and the
// ticket is taken (take_ticket) and its status set (set_status) only
// after all of them are sent. A ticket that fails (an RT error, a corrupt
// archive, a download error other than a final 4xx) is left alone, the
// other tickets are handled, and the collection then fails, so the ticket
// is tried again. A download answered with a final 4xx is gone: as in
// IntelMQ the ticket is logged, taken and its status set, without report.
//
// It imports runtime/botapi, the stdlib packages, bots/internal, the HTTP
// collector (for its client and archive extraction) and the standard
// library. Its tests run the collector against an httptest server that
// answers the REST 1.0 calls it makes.
package rt
