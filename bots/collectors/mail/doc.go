// SPDX-License-Identifier: AGPL-3.0-or-later

// Package mail is IntelMQ's IMAP mail collectors
// (intelmq.bots.collectors.mail): three bots, one per IntelMQ module, that
// share the mailbox handling and differ in what of a mail becomes a
// Report:
//
//   - collector.mail_attach (collector_mail_attach): the attachments whose
//     file name matches attach_regex, one Report per file (a zip, tar or
//     gzip attachment is unpacked, extra.file_name names the file);
//   - collector.mail_body (collector_mail_body): the text/plain and
//     text/html bodies listed in content_types, one Report per body;
//   - collector.mail_url (collector_mail_url): the document at the first
//     URL that url_regex finds in each text/plain body, downloaded with the
//     HTTP collector's client, with feed.url and extra.file_name.
//
// Every Report carries extra.email_subject, extra.email_from (the sender
// addresses, comma-separated), extra.email_message_id and
// extra.email_date, as IntelMQ's do.
//
// A collection connects (implicit TLS, STARTTLS or plain), selects the
// folder, searches the unread mails (with sent_from and sent_to as IMAP
// FROM and TO criteria), fetches their headers, keeps those whose subject
// matches subject_regex, fetches those mails without setting \Seen, and
// marks a mail \Seen once its reports are sent and it was relevant (an
// attachment matched, a body was sent, a URL was found), so that other
// collectors watching the same mailbox still see the others. With
// mail_mark_as_read = false the folder is opened read-only and the UIDs
// of the mails handled are kept in the bot's state directory instead.
//
// A mail that cannot be handled (a download that failed, a corrupt
// archive, a mail larger than max_size) stays unread, the other mails are
// handled, and the collection then fails with the first error, so the mail
// is tried again.
//
// It imports runtime/botapi, the stdlib packages, bots/internal, the HTTP
// collector (for its client and archive extraction), go-imap v2's client,
// x/text's charsets and the standard library. Its tests run the collectors
// against go-imap's in-memory IMAP server on a loopback port.
package mail
