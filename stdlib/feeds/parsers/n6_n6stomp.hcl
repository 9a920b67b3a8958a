# SPDX-License-Identifier: AGPL-3.0-or-later

# CERT.pl n6 (STOMP): one JSON event per report; one event per address, and
# (as IntelMQ's for-else does) one more without address.
parser "n6_n6stomp" {
  intelmq_module = "intelmq.bots.parsers.n6.parser_n6stomp"
  json {
    single = true
    keys   = ["category", "type", "time", "dip", "dport", "md5", "sha1", "fqdn", "id", "adip", "proto", "sport", "url", "confidence", "expires", "source", "name", "address"]
  }
  let = {
    # category: [taxonomy, type, identifier]
    categories = {
      amplifier        = ["vulnerable", "vulnerable-system", "amplifier"]
      bots             = ["malicious-code", "infected-system", "malware-generic"]
      backdoor         = ["intrusions", "system-compromise", "hacked server"]
      cnc              = ["malicious-code", "c2-server", "c&c server"]
      "dns-query"      = ["other", "other", "dns-query"]
      "dos-attacker"   = ["availability", "ddos", "dos-attacker"]
      "dos-victim"     = ["availability", "ddos", "dos-victim"]
      flow             = ["other", "other", "flow"]
      "flow-anomaly"   = ["other", "other", "flow-anomaly"]
      fraud            = ["fraud", "account numbers", "fraud"]
      leak             = ["information-content-security", "data-leak", "leak"]
      malurl           = ["malicious-code", "exploit", "malurl"]
      "malware-action" = ["malicious-code", "malware-configuration", "malware-configuration"]
      phish            = ["fraud", "phishing", "phishing"]
      proxy            = ["other", "proxy", "openproxy"]
      "sandbox-url"    = ["malicious-code", "infected-system", "sandboxurl"]
      scanning         = ["information-gathering", "scanner", "scanning"]
      "server-exploit" = ["malicious-code", "exploit", "server-exploit"]
      spam             = ["abusive-content", "spam", "spam"]
      "spam-url"       = ["abusive-content", "spam", "spam-url"]
      tor              = ["other", "tor", "tor exit node"]
      webinject        = ["malicious-code", "malware-distribution", "malware"]
      vulnerable       = ["vulnerable", "other", "vulnerable"]
      other            = ["other", "other", "other"]
    }
  }
  skip = "line contains 'TEST MESSAGE'"
  map = {
    "time.source"        = "time"
    "destination.ip"     = "dip"
    "destination.port"   = "dport"
    "malware.hash.md5"   = "md5"
    "malware.hash.sha1"  = "sha1"
    "source.fqdn"        = "fqdn != 'unknown' ? fqdn : nil"
    "extra.feed_id"      = "id"
    "extra.adip"         = "adip"
    "protocol.transport" = "proto"
    "source.port"        = "sport"
    "source.url"         = "url"
    "extra.confidence"   = "confidence"
    "extra.expires"      = "expires != nil ? utcTime(expires) : nil"
    "extra.feed_source"  = "source"
    # A name with characters outside printable ASCII keeps them in the
    # description only.
    "malware.name"              = "name != nil ? regexReplace(name, '[^ -~]', '') : nil"
    "event_description.text"    = "name != nil && name matches '[^ -~]' ? name : nil"
    "classification.taxonomy"   = "record.type == 'bl-update' ? 'other' : categories[category]?.[0]"
    "classification.type"       = "record.type == 'bl-update' ? 'blacklist' : categories[category]?.[1]"
    "classification.identifier" = "record.type == 'bl-update' ? nil : (category == 'bots' && name != nil ? name : categories[category]?.[2])"
  }
  each {
    list = "address ?? []"
    map = {
      "source.ip"             = "item.ip"
      "source.asn"            = "item.asn"
      "source.reverse_dns"    = "item.rdns"
      "source.geolocation.cc" = "item.cc"
    }
  }
  each {
    list = "[1]"
  }
  # IntelMQ's raw is the whole report.
  raw = "text"
}
