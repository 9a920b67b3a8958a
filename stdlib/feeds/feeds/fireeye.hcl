# SPDX-License-Identifier: AGPL-3.0-or-later

feed "fireeye_malware_analysis_system" {
  provider      = "Fireeye"
  name          = "Malware Analysis System"
  documentation = "https://www.fireeye.com/products/malware-analysis.html"
  description   = "Process data from Fireeye mail and file analysis appliances. SHA1 and MD5 malware hashes are extracted and if there is network communication, also URLs and domains. Not public: access needs an account or a subscription."
  parser        = bot.fireeye
  collect "fireeye_mas" {
    host             = "{{ host }}"
    request_duration = "24_hours"
    http_username    = "{{ http_username }}"
    http_password    = "{{ http_password }}"
  }
}

# The OpenIOC XML of an alert: the Go parser bot parser.fireeye (IntelMQ's
# intelmq.bots.parsers.fireeye.parser).
bot "parser.fireeye" "fireeye" {}
