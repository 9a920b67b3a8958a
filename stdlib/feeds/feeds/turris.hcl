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
