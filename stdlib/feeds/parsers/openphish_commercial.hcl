# SPDX-License-Identifier: AGPL-3.0-or-later

# OpenPhish commercial feed: one JSON object per line.
parser "openphish_commercial" {
  intelmq_module = "intelmq.bots.parsers.openphish.parser_commercial"
  jsonlines {
    keys = ["asn", "asn_name", "brand", "country_code", "country_name", "discover_time", "emails", "family_id", "host", "ip",
    "isotime", "page_language", "phishing_kit", "screenshot", "sector", "ssl_cert_issued_by", "ssl_cert_issued_to", "ssl_cert_serial", "tld", "url"]
  }
  set = { "classification.type" = "phishing" }
  map = {
    "source.as_name"           = "asn_name"
    "extra.brand"              = "brand"
    "extra.emails"             = "emails"
    "extra.family_id"          = "family_id"
    "source.ip"                = "ip"
    "extra.page_language"      = "page_language"
    "extra.phishing_kit"       = "phishing_kit"
    "extra.sector"             = "sector"
    "extra.ssl_cert_issued_by" = "ssl_cert_issued_by"
    "extra.ssl_cert_issued_to" = "ssl_cert_issued_to"
    "extra.ssl_cert_serial"    = "ssl_cert_serial"
    "extra.tld"                = "tld"
    "source.url"               = "url"
    # IntelMQ re-encodes the object in a list: the same text when the feed
    # writes as Python does.
    "raw" = "'[' + trim(line) + ']'"
  }
  optional = {
    "source.asn"                 = "asn != nil && asn matches '^AS[0-9]+$' ? int(asn[2:]) : nil"
    "time.source"                = "coalesce(isotime, discover_time)"
    "source.geolocation.cc"      = "country_code"
    "source.geolocation.country" = "country_name"
    "source.fqdn"                = "host"
    "screenshot_url"             = "screenshot"
  }
}
