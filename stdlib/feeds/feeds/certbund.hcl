# SPDX-License-Identifier: AGPL-3.0-or-later

feed "certbund_malware_infections" {
  provider    = "CERT-Bund"
  name        = "CB-Report Malware infections via IMAP"
  description = "CERT-Bund sends reports for the malware-infected hosts. Traffic from malware related hosts contacting command-and-control servers is caught and sent to national CERT teams. There are two e-mail feeds with identical CSV structure -- one reports on general malware infections, the other on the Avalanche botnet. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's mail attachment collector (intelmq.bots.collectors.mail.collector_mail_attach): mails with subject matching \"^\\\\[CB-Report#.* Malware infections (\\\\(Avalanche\\\\) )?in country\" in INBOX, attachment \"events.csv\", once a day sends the reports to this feed's parser."
  parser      = parser.certbund_malware_infections
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
