# SPDX-License-Identifier: AGPL-3.0-or-later

feed "zoneh_defacements" {
  provider      = "ZoneH"
  name          = "Defacements"
  documentation = "https://zone-h.org/"
  description   = "all the information contained in Zone-H's cybercrime archive were either collected online from public sources or directly notified anonymously to us. Not public: access needs an account or a subscription."
  parser        = parser.zoneh
  collect "mail_attach" {
    mail_host     = "{{ mail_host }}"
    mail_user     = "{{ mail_user }}"
    mail_password = "{{ mail_password }}"
    sent_from     = "datazh@zone-h.org"
    folder        = "INBOX"
    subject_regex = "Report"
    attach_regex  = "csv"
    interval      = "1h"
  }
}
