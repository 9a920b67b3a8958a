# SPDX-License-Identifier: AGPL-3.0-or-later

feed "cznic_haas" {
  provider      = "CZ.NIC"
  name          = "HaaS"
  documentation = "https://haas.nic.cz/"
  description   = "SSH attackers against HaaS (Honeypot as a Service) provided by CZ.NIC, z.s.p.o. The dump is published once a day."
  parser        = parser.cznic_haas
  collect "http" {
    url            = "https://haas.nic.cz/stats/export/{time[%Y/%m/%Y-%m-%d]}.json.gz"
    interval       = "24h"
    url_formatting = true
    # IntelMQ fetches yesterday's dump ({"days": -1}): the day's file is
    # complete once the day is over.
    url_time_offset = "-24h"
  }
}

feed "cznic_proki" {
  provider      = "CZ.NIC"
  name          = "Proki"
  documentation = "https://csirt.cz/en/proki/"
  description   = "Aggregation of various sources on malicious IP addresses (malware spreaders or C&C servers)."
  parser        = parser.cznic_proki
  collect "http" {
    url            = "https://proki.csirt.cz/api/1/{{ api_key }}/data/day/{time[%Y/%m/%d]}"
    interval       = "24h"
    url_formatting = true
    # IntelMQ fetches yesterday's data ({"days": -1}).
    url_time_offset = "-24h"
  }
}
