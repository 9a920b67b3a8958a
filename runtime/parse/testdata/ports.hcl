# SPDX-License-Identifier: AGPL-3.0-or-later

# Ports of IntelMQ parsers that use the report's text variables (header,
# comments, text, line_end), raw, overwrite, reject and spread; the test
# replays IntelMQ's own cases against them (features_test.go).

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

parser "abusech_feodotracker" {
  intelmq_module = "intelmq.bots.parsers.abusech.parser_feodotracker"
  json {
    keys = ["ip_address", "port", "status", "hostname", "as_number", "as_name", "country", "first_seen", "last_online", "malware"]
  }
  set = {
    "classification.type" = "c2-server"
  }
  map = {
    "source.ip"   = "ip_address"
    "source.port" = "port"
  }
  # IntelMQ adds these with raise_failure=False: a bad value is dropped.
  optional = {
    "time.source"           = "first_seen != nil ? parseTime(first_seen, '%Y-%m-%d %H:%M:%S') : (last_online != nil ? parseTime(last_online, '%Y-%m-%d') : nil)"
    "source.asn"            = "as_number"
    "source.as_name"        = "as_name"
    "source.geolocation.cc" = "country"
    "source.reverse_dns"    = "hostname"
    "malware.name"          = "malware"
    "extra.last_online"     = "last_online"
    "status"                = "status"
  }
  raw = "'[' + pyJSONText(line) + ']'"
}

parser "github_feed" {
  intelmq_module = "intelmq.bots.parsers.github_feed.parser"
  json {
    keys = ["Indicator", "Description"]
  }
  # IntelMQ fails the report of any other feed, and its raw is Python's repr
  # of the record.
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
  raw = "pyReprText(line)"
}

parser "malwarepatrol_dansguardian" {
  intelmq_module = "intelmq.bots.parsers.malwarepatrol.parser_dansguardian"
  lines {
    column  = "url"
    comment = ["#"]
  }
  set = { "classification.type" = "malware-distribution" }
  map = {
    "source.url"  = "url contains '://' ? url : 'http://' + url"
    "time.source" = "timeFormat('from_format|%Y%m%d%H%M%S', regexExtract(comments, 'Generated at: ([0-9]+)', 1))"
  }
  overwrite = { "feed.url" = "regexReplace(report['feed.url'], 'receipt=([^&])*', '')" }
  raw       = "(comments == '' ? '' : comments + '\\n') + line"
}

parser "calidog_certstream" {
  intelmq_module = "intelmq.bots.parsers.calidog.parser_certstream"
  json {
    single = true
  }
  set = { "classification.type" = "other" }
  map = {
    "time.source" = "fromEpochMillis(int(record.data.seen))"
  }
  each {
    list = "record.data?.leaf_cert?.all_domains ?? []"
    map  = { "source.fqdn|source.ip" = "item" }
  }
  raw = "text"
}

parser "zoneh" {
  intelmq_module = "intelmq.bots.parsers.zoneh.parser"
  csv {
    header = true
  }
  set = {
    "classification.identifier" = "compromised-website"
    "classification.type"       = "unauthorised-information-modification"
    "event_description.text"    = "defacement"
  }
  map = {
    "time.source"             = "record.add_date + ' UTC'"
    "protocol.application"    = "urlScheme(record.domain)"
    "extra.accepted_date"     = "record.accept_date"
    "extra.actor"             = "record.attacker"
    "extra.http_target"       = "record.web_server"
    "extra.os.name"           = "record.system"
    "extra.compromise_method" = "record.hackmode"
    "extra.zoneh_report_id"   = "record.defacement_id"
  }
  optional = {
    "source.ip"             = "record.ip_address"
    "source.fqdn"           = "urlHost(record.domain)"
    "source.geolocation.cc" = "record.country_code"
    "source.url"            = "record.domain"
  }
  raw = "header + line + line_end"
}

parser "cert_eu_csv" {
  intelmq_module = "intelmq.bots.parsers.cert_eu.parser_csv"
  csv {
    header  = true
    comment = ["#"]
  }
  let = {
    types = {
      "backdoor"              = "system-compromise", "blacklist" = "blacklist", "botnet drone" = "infected-system", "brute-force" = "brute-force",
      "c2server"              = "c2-server", "compromised server" = "system-compromise", "ddos infrastructure" = "ddos", "ddos target" = "ddos",
      "defacement"            = "unauthorised-information-modification", "dropzone" = "other", "exploit url" = "exploit", "ids alert" = "ids-alert",
      "malware-configuration" = "malware-configuration", "malware url" = "malware-distribution", "phishing" = "phishing",
      "ransomware"            = "infected-system", "scanner" = "scanner", "spam infrastructure" = "spam", "test" = "test",
      "vulnerable service"    = "vulnerable-system"
    }
  }
  # IntelMQ also scales feed.accuracy by the "confidence level" column, and
  # fails records of other format versions or with columns it cannot map
  # (threat type, ns1, ns2, response, recent); the language can neither
  # change a report field nor reject a record on purpose yet.
  overwrite = { "feed.accuracy" = "(report['feed.accuracy'] ?? 100) * toInt(record['confidence level']) / 100" }
  map = {
    "extra.datasource"                 = "record['feed code']"
    "source.ip"                        = "record['source ip']"
    "source.network"                   = "record['source bgp prefix']"
    "extra.cert_eu_time_observation"   = "utcTime(record['observation time'])"
    "tlp"                              = "record.tlp"
    "event_description.text"           = "record.description"
    "classification.type"              = "types[record.type] ?? 'other'"
    "classification.identifier"        = "record.type == 'dropzone' ? 'dropzone' : nil"
    "extra.count"                      = "record.count != '' ? int(record.count) : nil"
    "time.source"                      = "record['source time']"
    "source.geolocation.country"       = "record['source country']"
    "protocol.application"             = "record.protocol"
    "destination.port"                 = "record['destination port']"
    "source.geolocation.latitude"      = "record['source latitude']"
    "source.geolocation.city"          = "record['source city']"
    "source.geolocation.geoip_cc"      = "record['source cc']"
    "source.geolocation.longitude"     = "record['source longitude']"
    "extra.source.geolocation.geohash" = "record['source geohash']"
    "extra.first_seen"                 = "record['first seen']"
    "extra.last_seen"                  = "record['last seen']"
    "extra.expiration_date"            = "record['expiration date']"
    "status"                           = "record.status"
    "event_description.target"         = "record.target"
    "source.url"                       = "record.url"
    "source.abuse_contact"             = "record['abuse contact']"
    "source.asn"                       = "record['source asn']"
    "source.as_name"                   = "record['source as name']"
    "source.fqdn"                      = "record['domain name']"
  }
  raw = "trim(header + csvLine(row, \",\", newline))"
}

parser "cznic_proki" {
  intelmq_module = "intelmq.bots.parsers.cznic.parser_proki"
  json {
    path = ["data"]
  }
  spread = "renameKeys(record, {'feed.name': 'extra.original_feed_name', 'time.observation': 'extra.original_time_observation'})"
  raw    = "'[' + pyJSONText(line) + ']'"
}
