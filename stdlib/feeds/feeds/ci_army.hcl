# SPDX-License-Identifier: AGPL-3.0-or-later

feed "ci_army_list" {
  provider      = "CINS Army"
  name          = "CINS Army List"
  documentation = "https://cinsscore.com/#list"
  description   = "The CINS Army (CIArmy.com) list is a subset of the CINS Active Threat Intelligence ruleset, and consists of IP addresses that meet one of two basic criteria: 1) The IP's recent Rogue Packet score factor is very poor, or 2) The IP has tripped a designated number of 'trusted' alerts across a given number of our Sentinels deployed around the world."
  parser        = parser.ci_army
  collect "http" {
    url      = "http://cinsscore.com/list/ci-badguys.txt"
    interval = "1h"
  }
}
