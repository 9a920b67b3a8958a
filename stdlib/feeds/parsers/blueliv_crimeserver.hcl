# SPDX-License-Identifier: AGPL-3.0-or-later

# Blueliv Crimeserver API: a JSON list of crime servers. Tor exit nodes come
# with their address in "url", which is then no URL and is dropped.
parser "blueliv_crimeserver" {
  intelmq_module = "intelmq.bots.parsers.blueliv.parser_crimeserver"
  json {
    keys = ["url", "ip", "country", "lastSeenAt", "status", "confidence", "updatedAt", "firstSeenAt"]
  }
  let = {
    types = {
      PHISHING = "phishing", MALWARE = "malware-distribution", EXPLOIT_KIT = "exploit",
      BACKDOOR = "system-compromise", TOR_IP = "proxy", C_AND_C = "c2-server"
    }
  }
  map = {
    "classification.type"   = "types[record.type] ?? nil"
    "source.tor_node"       = "record.type == 'TOR_IP' ? true : nil"
    "source.url"            = "record.type == 'TOR_IP' && !(url contains '://') ? nil : url"
    "source.ip"             = "ip"
    "source.geolocation.cc" = "country"
    "time.source"           = "lastSeenAt != nil ? lastSeenAt[:-4] + '00:00' : nil"
    "extra.status"          = "status"
    "extra.confidence"      = "confidence"
    "extra.time_updated"    = "updatedAt"
    "extra.time_first_seen" = "firstSeenAt"
  }
}
