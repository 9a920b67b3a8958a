# SPDX-License-Identifier: AGPL-3.0-or-later

# DShield AS details: tab-separated "source IP, reports, targets, first seen,
# last seen, updated"; the AS number is the feed URL's "?as=" parameter.
# IP addresses are zero-padded ("109.230.155.061").
parser "dshield_asn" {
  intelmq_module = "intelmq.bots.parsers.dshield.parser_asn"
  lines {
    regex           = "^(?P<ip>[^\\t]*)\\t(?P<reports>[^\\t]*)\\t(?P<targets>[^\\t]*)\\t(?P<first_seen>[^\\t]*)\\t(?P<last_seen>[^\\t]*)\\t(?P<updated>[^\\t]*)"
    comment         = ["#"]
    ignore_no_match = true
  }
  set = { "classification.type" = "brute-force" }
  map = {
    "source.ip"       = "join(map(split(ip, '.'), string(int(#))), '.')"
    "source.asn"      = "int(splitPart(report['feed.url'], '?as=', -1))"
    "time.source"     = "updated + ' UTC'"
    "extra.reports"   = "int(reports)"
    "extra.targets"   = "int(targets)"
    "extra.last_seen" = "last_seen"
  }
}
