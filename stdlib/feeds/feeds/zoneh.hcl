# SPDX-License-Identifier: AGPL-3.0-or-later

feed "zoneh_defacements" {
  provider      = "ZoneH"
  name          = "Defacements"
  documentation = "https://zone-h.org/"
  description   = "all the information contained in Zone-H's cybercrime archive were either collected online from public sources or directly notified anonymously to us. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's mail attachment collector (intelmq.bots.collectors.mail.collector_mail_attach): mails from datazh@zone-h.org with subject \"Report\" in INBOX, CSV attachments (attach_regex \"csv\"), every hour sends the reports to this feed's parser."
  parser        = parser.zoneh
}
