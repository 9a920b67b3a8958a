# SPDX-License-Identifier: AGPL-3.0-or-later

feed "bambenek_c2_domains" {
  provider      = "Bambenek"
  name          = "C2 Domains"
  documentation = "https://osint.bambenekconsulting.com/feeds/"
  description   = "Master Feed of known, active and non-sinkholed C&Cs domain names. Requires access credentials. License: https://osint.bambenekconsulting.com/license.txt. Not public: access needs an account or a subscription."
  parser        = parser.bambenek
  collect "http" {
    url      = "https://faf.bambenekconsulting.com/feeds/c2-dommasterlist.txt"
    interval = "1h"
    username = "{{ username }}"
    password = "{{ password }}"
  }
}

feed "bambenek_c2_ips" {
  provider      = "Bambenek"
  name          = "C2 IPs"
  documentation = "https://osint.bambenekconsulting.com/feeds/"
  description   = "Master Feed of known, active and non-sinkholed C&Cs IP addresses. Requires access credentials. License: https://osint.bambenekconsulting.com/license.txt. Not public: access needs an account or a subscription."
  parser        = parser.bambenek
  collect "http" {
    url      = "https://faf.bambenekconsulting.com/feeds/c2-ipmasterlist.txt"
    interval = "1h"
    username = "{{ username }}"
    password = "{{ password }}"
  }
}

feed "bambenek_dga_domains" {
  provider      = "Bambenek"
  name          = "DGA Domains"
  documentation = "https://osint.bambenekconsulting.com/feeds/"
  description   = "Domain feed of known DGA domains from -2 to +3 days. License: https://osint.bambenekconsulting.com/license.txt."
  parser        = parser.bambenek
  collect "http" {
    url      = "https://faf.bambenekconsulting.com/feeds/dga-feed.txt"
    interval = "1h"
  }
}
