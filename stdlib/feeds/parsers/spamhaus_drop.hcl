# SPDX-License-Identifier: AGPL-3.0-or-later

# Spamhaus DROP, EDROP, DROPv6 ("network ; SBL id") and ASN-DROP
# ("ASnnn ; CC | AS name") lists, ";" comments. The file name of feed.url
# says which kind of list it is. The list's time is the header comment
# "; Last-Modified: Mon, 14 Sep 2015 04:39:22 GMT".
parser "spamhaus_drop" {
  intelmq_module = "intelmq.bots.parsers.spamhaus.parser_drop"
  lines {
    regex   = "^(?P<first>[^;]*);(?P<second>[^|]*)(?:\\|(?P<third>.*))?$"
    comment = [";"]
  }
  let = {
    kinds = { "drop.txt" = "network", "edrop.txt" = "network", "dropv6.txt" = "network", "drop.lasso" = "network", "asndrop.txt" = "asn" }
  }
  set = { "classification.type" = "spam" }
  map = {
    "source.network"        = "kinds[splitPart(report['feed.url'], '/', -1)] == 'network' ? trim(first) : nil"
    "extra.blocklist"       = "kinds[splitPart(report['feed.url'], '/', -1)] == 'network' ? trim(second) : nil"
    "source.asn"            = "kinds[splitPart(report['feed.url'], '/', -1)] == 'asn' ? trim(trim(first), 'AS') : nil"
    "source.geolocation.cc" = "kinds[splitPart(report['feed.url'], '/', -1)] == 'asn' ? trim(second) : nil"
    "source.as_name"        = "kinds[splitPart(report['feed.url'], '/', -1)] == 'asn' ? trim(third) : nil"
  }
  optional = {
    "time.source" = "timeFormat('fuzzy', regexExtract(comments, 'Last-Modified: (.*)', 1))"
  }
}
