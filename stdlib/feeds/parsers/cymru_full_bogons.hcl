# SPDX-License-Identifier: AGPL-3.0-or-later

# Team Cymru full bogons: one IPv4 or IPv6 network per line after the header
# "# last updated 1450193702 (Tue Dec 15 15:35:02 2015 GMT)", which gives
# the list's time.
parser "cymru_full_bogons" {
  intelmq_module = "intelmq.bots.parsers.cymru.parser_full_bogons"
  lines {
    column  = "network"
    comment = ["#", "//"]
  }
  set = { "classification.type" = "blacklist" }
  map = {
    "source.ip|source.network" = "network"
    "time.source"              = "timeFormat('fuzzy', regexExtract(comments, '[(](.*)[)]', 1))"
  }
  # IntelMQ's raw: the header comment and the line.
  raw = "comments + '\\n' + line"
}
