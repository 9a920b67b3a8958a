# SPDX-License-Identifier: AGPL-3.0-or-later

# ESET threat intelligence (TAXII collector): a JSON list of domains or URLs;
# the report's extra.eset_feed names the collection. The reason text gives
# the classification.
parser "eset" {
  intelmq_module = "intelmq.bots.parsers.eset.parser"
  json {
    keys = ["reason", "domain", "ip", "last_seen", "domain_last_seen", "url"]
  }
  let = {
    reasons = {
      "Host actively distributes high-severity threat in the form of executable code."  = "malware-distribution"
      "Host is known to be distributing low-risk and potentially unwanted content."     = "malware-distribution"
      "Host is known source of phishing or other fraudulent content."                   = "phishing"
      "Host is known to be actively distributing adware or other medium-risk software." = "other"
      "Host is known source of active fraudulent content."                              = "other"
    }
    feeds = { "ei.urls (json)" = "urls", "ei.domains v2 (json)" = "domains" }
  }
  # IntelMQ gives "c2server" for command and control servers, which its own
  # schema rejects; this port says c2-server.
  map = {
    "extra.eset_feed"        = "feeds[report['extra.eset_feed']] != nil ? report['extra.eset_feed'] : nil"
    "event_description.text" = "reason"
    "classification.type"    = "reasons[reason] ?? (hasPrefix(reason, 'Host is used as command and control server') ? 'c2-server' : 'other')"
    "source.ip"              = "ip != nil && !hasSuffix(ip, '_NXDOMAIN') ? ip : nil"
    "time.source"            = "feeds[report['extra.eset_feed']] == 'urls' ? domain_last_seen : last_seen"
    "source.url"             = "feeds[report['extra.eset_feed']] == 'urls' ? url : nil"
  }
  optional = {
    "source.fqdn" = "domain"
  }
}
