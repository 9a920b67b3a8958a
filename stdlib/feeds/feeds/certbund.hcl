# SPDX-License-Identifier: AGPL-3.0-or-later

feed "certbund_malware_infections" {
  provider    = "CERT-Bund"
  name        = "CB-Report Malware infections via IMAP"
  description = "CERT-Bund sends reports for the malware-infected hosts. Traffic from malware related hosts contacting command-and-control servers is caught and sent to national CERT teams. There are two e-mail feeds with identical CSV structure -- one reports on general malware infections, the other on the Avalanche botnet. Not public: access needs an account or a subscription."
  parser      = parser.certbund_malware_infections
  collect "mail_attach" {
    mail_host     = "{{ mail_host }}"
    mail_user     = "{{ mail_user }}"
    mail_password = "{{ mail_password }}"
    folder        = "INBOX"
    subject_regex = "^\\[CB-Report#.* Malware infections (\\(Avalanche\\) )?in country"
    attach_regex  = "events.csv"
    interval      = "24h"
  }
}

# CERT-Bund CB-Report malware infections: CSV with a header row. IntelMQ's
# generic CSV parser with the feed's columns.
parser "certbund_malware_infections" {
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  csv {
    comment     = ["#"]
    skip_lines  = 1
    lazy_quotes = true
  }
  fields = [
    "source.asn", "source.ip", "time.source", "classification.type", "malware.name", "source.port",
    "destination.ip", "destination.port", "destination.fqdn", "protocol.transport",
  ]
  time_format = "from_format|%Y-%m-%d %H:%M:%S"
  default_fields = {
    "classification.type" = "infected-system"
  }
}
