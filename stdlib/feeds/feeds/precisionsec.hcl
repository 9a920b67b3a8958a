# SPDX-License-Identifier: AGPL-3.0-or-later

feed "precisionsec_agent_tesla" {
  provider      = "PrecisionSec"
  name          = "Agent Tesla"
  documentation = "https://precisionsec.com/threat-intelligence-feeds/agent-tesla/"
  description   = "Agent Tesla IoCs, URLs where the malware is hosted."
  parser        = parser.precisionsec_agent_tesla
  collect "http" {
    url      = "https://precisionsec.com/threat-intelligence-feeds/agent-tesla/"
    interval = "24h"
  }
}

# The page's first HTML table: an IP address or URL and a date per row.
# IntelMQ's html_table parser with the feed's columns. The catalogue asks for
# malware-distribution in `defaults_fields`, which the html_table parser never
# reads (it would write its default type, c2-server); the type here is the
# one the catalogue means.
parser "precisionsec_agent_tesla" {
  intelmq_module = "intelmq.bots.parsers.html_table.parser"
  html_table {
    skip_head = true
  }
  fields               = ["source.ip|source.url", "time.source"]
  time_format          = "fuzzy"
  default_url_protocol = "http://"
  type                 = "malware-distribution"
  # A row without either cell gives no event.
  skip = "all(0..1, {(get(row, #) ?? '') == ''})"
}
