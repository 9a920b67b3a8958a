# SPDX-License-Identifier: AGPL-3.0-or-later

# Shadowserver's reports reach IntelMQ as CSV files whose name gives the
# report type (2023-01-01-scan_smb-de-geo.csv); parser.shadowserver reads
# all of them (stdlib/feeds/README.md, "Shadowserver"). The mail collector
# and the Reports API collector are ported, and so is the Request Tracker
# collector.

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
  description   = "Shadowserver sends out a variety of reports (see https://www.shadowserver.org/wiki/pmwiki.php/Services/Reports). The configuration retrieves the data from a RT/RTIR ticketing instance via the attachment or an download. Not public: access needs a subscription."
  parser        = parser.shadowserver
  collect "rt" {
    uri                 = "{{ rt_uri }}"
    user                = "{{ rt_user }}"
    password            = "{{ rt_password }}"
    search_owner        = "nobody"
    search_queue        = "Incident Reports"
    search_requestor    = "autoreports@shadowserver.org"
    search_status       = "new"
    search_subject_like = "[{{ country }}] Shadowserver {{ country }}"
    attachment_regex    = "\\.csv\\.zip$"
    extract_attachment  = true
    url_regex           = "https://dl.shadowserver.org/[a-zA-Z0-9?_-]*"
    extract_download    = false
    set_status          = "open"
    take_ticket         = true
    interval            = "1h"
  }
}

# IntelMQ's feed catalogue still names intelmq.bots.parsers.shadowserver.parser_json
# for this feed, but IntelMQ removed that parser in 2023: its Reports API
# collector now asks for CSV only and names each report *.csv, which the
# CSV parser reads.
feed "shadowserver_api" {
  provider      = "Shadowserver"
  name          = "Via API"
  documentation = "https://www.shadowserver.org/what-we-do/network-reporting/api-documentation/"
  description   = "Shadowserver sends out a variety of reports to subscribers, see documentation. This configuration fetches user-configurable reports from the Shadowserver Reports API. For a list of reports, have a look at the Shadowserver collector and parser documentation. Not public: access needs a subscription."
  parser        = parser.shadowserver
  collect "shadowserver_reports_api" {
    api_key  = "{{ api_key }}"
    secret   = "{{ secret }}"
    interval = "24h"
  }
}
