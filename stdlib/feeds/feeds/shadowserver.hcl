# SPDX-License-Identifier: AGPL-3.0-or-later

# Shadowserver's reports reach IntelMQ as CSV files whose name gives the
# report type (2023-01-01-scan_smb-de-geo.csv); parser.shadowserver reads
# all of them (stdlib/feeds/README.md, "Shadowserver"). The mail collector
# is ported; Request Tracker and the Reports API are not yet.

feed "shadowserver_imap" {
  provider      = "Shadowserver"
  name          = "Via IMAP"
  documentation = "https://www.shadowserver.org/what-we-do/network-reporting/"
  description   = "Shadowserver sends out a variety of reports (see https://www.shadowserver.org/wiki/pmwiki.php/Services/Reports). The configuration retrieves the data from a e-mails via IMAP from the attachments. Not public: access needs a subscription."
  parser        = parser.shadowserver
  collect "mail_attach" {
    mail_host     = "{{ mail_host }}"
    mail_user     = "{{ mail_user }}"
    mail_password = "{{ mail_password }}"
    folder        = "INBOX"
    subject_regex = "{{ subject_regex }}"
    attach_regex  = "csv.zip"
    interval      = "24h"
  }
}

feed "shadowserver_rt" {
  provider      = "Shadowserver"
  name          = "Via Request Tracker"
  documentation = "https://www.shadowserver.org/what-we-do/network-reporting/"
  description   = "Shadowserver sends out a variety of reports (see https://www.shadowserver.org/wiki/pmwiki.php/Services/Reports). The configuration retrieves the data from a RT/RTIR ticketing instance via the attachment or an download. Not public: access needs a subscription. Collector: none in Go yet; IntelMQ's Request Tracker collector (intelmq.bots.collectors.rt.collector_rt) on your RT's REST URL, tickets of the queue \"Incident Reports\" from autoreports@shadowserver.org, attachments matching \"\\.csv\\.zip$\" extracted, every hour, sends each file as a report with its name in extra.file_name to this feed's parser."
  parser        = parser.shadowserver
}

# IntelMQ's feed catalogue still names intelmq.bots.parsers.shadowserver.parser_json
# for this feed, but IntelMQ removed that parser in 2023: its Reports API
# collector now asks for CSV only and names each report *.csv, which the
# CSV parser reads.
feed "shadowserver_api" {
  provider      = "Shadowserver"
  name          = "Via API"
  documentation = "https://www.shadowserver.org/what-we-do/network-reporting/api-documentation/"
  description   = "Shadowserver sends out a variety of reports to subscribers, see documentation. This configuration fetches user-configurable reports from the Shadowserver Reports API. For a list of reports, have a look at the Shadowserver collector and parser documentation. Not public: access needs a subscription. Collector: none in Go yet; IntelMQ's Shadowserver Reports API collector (intelmq.bots.collectors.shadowserver.collector_reports_api) with your country, api_key, secret and report types, once a day, sends each report as CSV with its file name in extra.file_name to this feed's parser."
  parser        = parser.shadowserver
}
