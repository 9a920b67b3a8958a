# SPDX-License-Identifier: AGPL-3.0-or-later

feed "fireeye_malware_analysis_system" {
  provider      = "Fireeye"
  name          = "Malware Analysis System"
  documentation = "https://www.fireeye.com/products/malware-analysis.html"
  description   = "Process data from Fireeye mail and file analysis appliances. SHA1 and MD5 malware hashes are extracted and if there is network communication, also URLs and domains. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's Fireeye MAS collector (intelmq.bots.collectors.fireeye.collector_mas) with the host of your appliance, a request_duration such as 24_hours, and your http_username and http_password sends the reports to this feed's parser."
  parser        = bot.fireeye
}

# The OpenIOC XML of an alert: the Go parser bot parser.fireeye (IntelMQ's
# intelmq.bots.parsers.fireeye.parser).
bot "parser.fireeye" "fireeye" {}
