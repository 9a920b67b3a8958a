# SPDX-License-Identifier: AGPL-3.0-or-later

feed "viriback_c2_tracker" {
  provider      = "ViriBack"
  name          = "C2 Tracker"
  documentation = "https://viriback.com/"
  description   = "Latest detected C2 servers."
  parser        = parser.viriback_c2_tracker
  collect "http" {
    url      = "https://tracker.viriback.com/dump.php"
    interval = "24h"
  }
}

# ViriBack's dump: CSV "Family,URL,IP,FirstSeen" with a header row.
# IntelMQ's generic CSV parser with the feed's columns (feeds.yaml spells
# default_fields "defaults_fields", which IntelMQ ignores).
parser "viriback_c2_tracker" {
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  csv {
    comment     = ["#"]
    skip_lines  = 1
    lazy_quotes = true
  }
  fields = ["malware.name", "source.url", "source.ip", "time.source"]
  default_fields = {
    "classification.type" = "malware-distribution"
  }
}
