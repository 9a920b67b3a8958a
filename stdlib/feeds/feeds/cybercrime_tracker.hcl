# SPDX-License-Identifier: AGPL-3.0-or-later

feed "cybercrime_tracker_latest" {
  provider      = "CyberCrime Tracker"
  name          = "Latest"
  documentation = "https://cybercrime-tracker.net/index.php"
  description   = "C2 servers."
  parser        = parser.cybercrime_tracker_latest
  collect "http" {
    url      = "https://cybercrime-tracker.net/index.php"
    interval = "24h"
  }
}

# The site's first HTML table, one C2 per row: date, URL, IP address, malware
# family and a column of links. IntelMQ's html_table parser with the feed's
# columns.
parser "cybercrime_tracker_latest" {
  intelmq_module = "intelmq.bots.parsers.html_table.parser"
  html_table {
    skip_head = true
  }
  fields               = ["time.source", "source.url", "source.ip", "malware.name", "__IGNORE__"]
  time_format          = "fuzzy"
  default_url_protocol = "http://"
  type                 = "c2-server"
  # A row without any of the four cells gives no event.
  skip = "all(0..3, {(get(row, #) ?? '') == ''})"
}
