# SPDX-License-Identifier: AGPL-3.0-or-later

feed "spamhaus_drop" {
  provider      = "Spamhaus"
  name          = "Drop"
  documentation = "https://www.spamhaus.org/drop/"
  description   = "The DROP list will not include any IP address space under the control of any legitimate network - even if being used by \"the spammers from hell\". DROP will only include netblocks allocated directly by an established Regional Internet Registry (RIR) or National Internet Registry (NIR) such as ARIN, RIPE, AFRINIC, APNIC, LACNIC or KRNIC or direct RIR allocations."
  parser        = parser.spamhaus_drop
  collect "http" {
    url      = "https://www.spamhaus.org/drop/drop.txt"
    interval = "1h"
  }
}

feed "spamhaus_asndrop" {
  provider      = "Spamhaus"
  name          = "ASN Drop"
  documentation = "https://www.spamhaus.org/drop/"
  description   = "ASN-DROP contains a list of Autonomous System Numbers controlled by spammers or cyber criminals, as well as \"hijacked\" ASNs. ASN-DROP can be used to filter BGP routes which are being used for malicious purposes."
  parser        = parser.spamhaus_drop
  collect "http" {
    url      = "https://www.spamhaus.org/drop/asndrop.txt"
    interval = "1h"
  }
}

feed "spamhaus_dropv6" {
  provider      = "Spamhaus"
  name          = "Dropv6"
  documentation = "https://www.spamhaus.org/drop/"
  description   = "The DROPv6 list includes IPv6 ranges allocated to spammers or cyber criminals. DROPv6 will only include IPv6 netblocks allocated directly by an established Regional Internet Registry (RIR) or National Internet Registry (NIR) such as ARIN, RIPE, AFRINIC, APNIC, LACNIC or KRNIC or direct RIR allocations."
  parser        = parser.spamhaus_drop
  collect "http" {
    url      = "https://www.spamhaus.org/drop/dropv6.txt"
    interval = "1h"
  }
}

feed "spamhaus_cert" {
  provider      = "Spamhaus"
  name          = "CERT"
  documentation = "https://www.spamhaus.org/news/article/705/spamhaus-launches-cert-insight-portal"
  description   = "Spamhaus CERT Insight Portal. Access limited to CERTs and CSIRTs with national or regional responsibility. . Not public: access needs an account or a subscription."
  parser        = parser.spamhaus_cert
  collect "http" {
    url      = "https://portal.spamhaus.org/cert/api.php?cert={{ cert_name }}&key={{ api_key }}"
    interval = "1h"
  }
}

feed "spamhaus_edrop" {
  provider      = "Spamhaus"
  name          = "EDrop"
  documentation = "https://www.spamhaus.org/drop/"
  description   = "EDROP is an extension of the DROP list that includes sub-allocated netblocks controlled by spammers or cyber criminals. EDROP is meant to be used in addition to the direct allocations on the DROP list."
  parser        = parser.spamhaus_drop
  collect "http" {
    url      = "https://www.spamhaus.org/drop/edrop.txt"
    interval = "1h"
  }
}
