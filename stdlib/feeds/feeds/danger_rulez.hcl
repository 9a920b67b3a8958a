# SPDX-License-Identifier: AGPL-3.0-or-later

feed "danger_rulez_bruteforce_blocker" {
  provider      = "Danger Rulez"
  name          = "Bruteforce Blocker"
  documentation = "http://danger.rulez.sk/index.php/bruteforceblocker/"
  description   = "Its main purpose is to block SSH bruteforce attacks via firewall."
  parser        = parser.danger_rulez
  collect "http" {
    url      = "http://danger.rulez.sk/projects/bruteforceblocker/blist.php"
    interval = "1h"
  }
}
