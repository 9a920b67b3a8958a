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

feed "cymru_cap" {
  provider      = "Team Cymru"
  name          = "CAP"
  documentation = "https://www.team-cymru.com/CSIRT-AP.html"
  description   = "Team Cymru provides daily lists of compromised or abused devices for the ASNs and/or netblocks with a CSIRT's jurisdiction. This includes such information as bot infected hosts, command and control systems, open resolvers, malware urls, phishing urls, and brute force attacks. Two feeds types are offered: the new https://www.cymru.com/$certname/$certname_{time[%Y%m%d]}.txt and the old https://www.cymru.com/$certname/infected_{time[%Y%m%d]}.txt. Both formats are supported by the parser and the new one is recommended. As of 2019-09-12 the old format will be retired soon. The format of each field is described in https://www.cymru.com/$certname/report_info.txt. Not public: access needs an account or a subscription."
  parser        = bot.cymru_cap
  collect "http" {
    url            = "https://www.cymru.com/{{ certname }}/{{ certname }}_{time[%Y%m%d]}.txt"
    interval       = "24h"
    url_formatting = true
    username       = "{{ your username }}"
    password       = "{{ your password }}"
  }
}

# Both CAP formats, told apart by the header: the Go parser bot
# parser.cymru_cap (IntelMQ's intelmq.bots.parsers.cymru.parser_cap_program).
bot "parser.cymru_cap" "cymru_cap" {}
