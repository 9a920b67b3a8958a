# SPDX-License-Identifier: AGPL-3.0-or-later

# IOC lists published on GitHub; the only known one is StrangerealIntel's
# DailyIOC: a JSON list of {Indicator, Description}, the indicator a hash,
# a domain, an address or a URL. The GitHub API collector's
# extra.file_metadata is kept.
parser "github_feed" {
  intelmq_module = "intelmq.bots.parsers.github_feed.parser"
  json {
    keys = ["Indicator", "Description"]
  }
  # IntelMQ fails the report of any other feed.
  reject {
    when    = "!(report['feed.url'] contains 'StrangerealIntel/DailyIOC')"
    message = "Unknown feed"
  }
  set = {
    "classification.type"     = "malware"
    "classification.taxonomy" = "other"
  }
  map = {
    "event_description.text" = "Description"
    "extra.file_metadata"    = "report['extra.file_metadata']"
    "malware.hash.sha1"      = "Indicator matches '^[0-9a-fA-F]{40}$' ? Indicator : nil"
    "malware.hash.sha256"    = "Indicator matches '^[0-9a-fA-F]{64}$' ? Indicator : nil"
    "malware.hash.md5"       = "Indicator matches '^[0-9a-fA-F]{32}$' ? Indicator : nil"
    "source.fqdn"            = "!(Indicator matches '^[0-9a-fA-F]{32}([0-9a-fA-F]{8}|[0-9a-fA-F]{32})?$') && isFQDN(Indicator) ? Indicator : nil"
    "source.ip"              = "isIP(Indicator) ? Indicator : nil"
    "source.url"             = "Indicator contains '://' ? Indicator : nil"
  }
  # IntelMQ's raw: Python's repr of the record.
  raw = "pyReprText(line)"
}
