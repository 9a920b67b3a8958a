# SPDX-License-Identifier: AGPL-3.0-or-later

feed "benkow_malware_panels_tracker" {
  provider    = "Benkow"
  name        = "Malware Panels Tracker"
  description = "Benkow Panels tracker is a list of fresh panel from various malware. The feed is available on the webpage: http://benkow.cc/passwords.php."
  parser      = parser.benkow_malware_panels_tracker
  collect "http" {
    url      = "http://benkow.cc/export.php"
    interval = "1h"
  }
}

# Benkow's panel tracker export: CSV "id;family;url;host;date" with a
# header row. IntelMQ's generic CSV parser with the feed's columns.
parser "benkow_malware_panels_tracker" {
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  csv {
    delimiter   = ";"
    comment     = ["#"]
    skip_lines  = 1
    lazy_quotes = true
  }
  fields          = ["__IGNORE__", "malware.name", "source.url", "source.fqdn|source.ip", "time.source"]
  fields_required = [false, true, true, false, true]
  default_fields = {
    "classification.type" = "c2-server"
  }
}
