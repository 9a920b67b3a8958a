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
    # IntelMQ fetches yesterday's dump ({"days": -1}); url_time_offset = "-24h"
    # does that, but the compiler rejects negative durations yet, so this
    # fetches today's file, which exists once the day is over.
  }
}
