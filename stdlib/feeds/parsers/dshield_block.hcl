# SPDX-License-Identifier: AGPL-3.0-or-later

# DShield recommended block list: tab-separated "start, end, netblock size,
# attacks, name, country, e-mail"; the list's time is in the header comment
# "#    updated: Tue Dec 15 15:33:38 2015 UTC".
parser "dshield_block" {
  intelmq_module = "intelmq.bots.parsers.dshield.parser_block"
  lines {
    regex           = "^(?P<start>[^\\t]+)\\t(?P<end>[^\\t]*)\\t(?P<mask>\\d+)(?:\\t(?P<attacks>[^\\t]*))?(?:\\t(?P<name>[^\\t]*))?(?:\\t(?P<cc>[^\\t]*))?(?:\\t(?P<email>[^\\t]*))?"
    comment         = ["#", "Start"]
    ignore_no_match = true
  }
  set = { "classification.type" = "blacklist" }
  map = {
    "source.network"        = "start + '/' + mask"
    "extra.attacks"         = "attacks != '' ? int(attacks) : nil"
    "extra.network_name"    = "name"
    "source.geolocation.cc" = "cc"
    "source.abuse_contact"  = "email"
    "time.source"           = "timeFormat('fuzzy', regexExtract(comments, 'updated: (.*)', 1))"
  }
  raw = "trim(line)"
}
