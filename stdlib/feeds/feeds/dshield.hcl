# SPDX-License-Identifier: AGPL-3.0-or-later

feed "dshield_block" {
  provider      = "DShield"
  name          = "Block"
  documentation = "https://www.dshield.org/reports.html"
  description   = "This list summarizes the top 20 attacking class C (/24) subnets over the last three days. The number of 'attacks' indicates the number of targets reporting scans from this subnet."
  parser        = parser.dshield_block
  collect "http" {
    url      = "https://www.dshield.org/block.txt"
    interval = "24h"
  }
}

feed "dshield_as_details" {
  provider      = "DShield"
  name          = "AS Details"
  documentation = "https://www.dshield.org/reports.html"
  parser        = parser.dshield_asn
  collect "http" {
    url      = "https://dshield.org/asdetailsascii.html?as={{ asn }}"
    interval = "24h"
  }
}
