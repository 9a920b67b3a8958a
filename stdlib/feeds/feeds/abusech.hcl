# SPDX-License-Identifier: AGPL-3.0-or-later

feed "abusech_feodotracker" {
  provider      = "Abuse.ch"
  name          = "Feodo Tracker"
  documentation = "https://feodotracker.abuse.ch/"
  description   = "List of botnet Command & Control servers (C&Cs) tracked by Feodo Tracker, associated with Dridex and Emotet (aka Heodo). The data in the column Last Online is used for `time.source` if available, with 00:00 as time. Otherwise first_seen is used as `time.source`."
  parser        = parser.abusech_feodotracker
  collect "http" {
    url      = "https://feodotracker.abuse.ch/downloads/ipblocklist.json"
    interval = "1h"
  }
}

feed "abusech_urlhaus" {
  provider      = "Abuse.ch"
  name          = "URLhaus"
  documentation = "https://urlhaus.abuse.ch/feeds/"
  description   = "URLhaus is a project from abuse.ch with the goal of sharing malicious URLs that are being used for malware distribution. URLhaus offers a country, ASN (AS number) and Top Level Domain (TLD) feed for network operators / Internet Service Providers (ISPs), Computer Emergency Response Teams (CERTs) and domain registries. The URL is one of https://urlhaus.abuse.ch/feeds/country/<CC>/, /feeds/asn/<ASN>/ or /feeds/tld/<TLD>/."
  parser        = parser.abusech_urlhaus
  collect "http" {
    url      = "https://urlhaus.abuse.ch/feeds/country/{{ country }}/"
    interval = "24h"
  }
}

# URLhaus country, ASN and TLD feeds: CSV "Dateadded,URL,URL_status,Threat,
# Host,IPaddress,ASnumber,Country" with "#" comments. IntelMQ's generic CSV
# parser with the feed's columns.
parser "abusech_urlhaus" {
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  csv {
    comment     = ["#"]
    lazy_quotes = true
  }
  fields = [
    "time.source", "source.url", "status", "classification.type|__IGNORE__", "source.fqdn|__IGNORE__",
    "source.ip", "source.asn", "source.geolocation.cc",
  ]
  type_translation = {
    "malware_download" = "malware-distribution"
  }
}
