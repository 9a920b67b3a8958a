# SPDX-License-Identifier: AGPL-3.0-or-later

feed "turris_greylist" {
  provider      = "Turris"
  name          = "Greylist"
  documentation = "https://project.turris.cz/en/greylist"
  description   = "The data are processed and classified every week and behaviour of IP addresses that accessed a larger number of Turris routers is evaluated. The result is a list of addresses that have tried to obtain information about services on the router or tried to gain access to them. The list also contains a list of tags for each address which indicate what behaviour of the address was observed."
  parser        = parser.turris
  collect "http" {
    url      = "https://view.sentinel.turris.cz/greylist-data/greylist-latest.csv"
    interval = "12h"
  }
}

feed "turris_greylist_pgp" {
  provider      = "Turris"
  name          = "Greylist with PGP signature verification"
  documentation = "https://project.turris.cz/en/greylist"
  description   = "The data are processed and classified every week and behaviour of IP addresses that accessed a larger number of Turris routers is evaluated. The result is a list of addresses that have tried to obtain information about services on the router or tried to gain access to them. The list also contains a list of tags for each address which indicate what behaviour of the address was observed. The Turris Greylist feed provides PGP signatures for the provided files: the collector checks each download against the signature before sending it. gpg_keyring is a file with Turris' public key (key ID 0x10876666, \"Turris Greylist Generator <greylist@turris.cz>\"), as published on the documentation page and in IntelMQ's feed list."
  parser        = parser.turris
  collect "http" {
    url                   = "https://www.turris.cz/greylist-data/greylist-latest.csv"
    interval              = "12h"
    verify_pgp_signatures = true
    signature_url         = "https://www.turris.cz/greylist-data/greylist-latest.csv.asc"
    gpg_keyring           = "{{ gpg_keyring }}"
  }
}
