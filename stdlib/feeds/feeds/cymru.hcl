# SPDX-License-Identifier: AGPL-3.0-or-later

feed "cymru_full_bogons_ipv4" {
  provider      = "Team Cymru"
  name          = "Full Bogons IPv4"
  documentation = "https://www.team-cymru.com/bogon-reference-http.html"
  description   = "Fullbogons are a larger set which also includes IP space that has been allocated to an RIR, but not assigned by that RIR to an actual ISP or other end-user. IANA maintains a convenient IPv4 summary page listing allocated and reserved netblocks, and each RIR maintains a list of all prefixes that they have assigned to end-users. Our bogon reference pages include additional links and resources to assist those who wish to properly filter bogon prefixes within their networks."
  parser        = parser.cymru_full_bogons
  collect "http" {
    url      = "https://www.team-cymru.org/Services/Bogons/fullbogons-ipv4.txt"
    interval = "24h"
  }
}

feed "cymru_full_bogons_ipv6" {
  provider      = "Team Cymru"
  name          = "Full Bogons IPv6"
  documentation = "https://www.team-cymru.com/bogon-reference-http.html"
  description   = "Fullbogons are a larger set which also includes IP space that has been allocated to an RIR, but not assigned by that RIR to an actual ISP or other end-user. IANA maintains a convenient IPv4 summary page listing allocated and reserved netblocks, and each RIR maintains a list of all prefixes that they have assigned to end-users. Our bogon reference pages include additional links and resources to assist those who wish to properly filter bogon prefixes within their networks."
  parser        = parser.cymru_full_bogons
  collect "http" {
    url      = "https://www.team-cymru.org/Services/Bogons/fullbogons-ipv6.txt"
    interval = "24h"
  }
}
