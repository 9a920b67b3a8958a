# SPDX-License-Identifier: AGPL-3.0-or-later

# CERT-EU threat feed, CSV format 1.5 with a header row; the columns' names
# hold spaces, so the mappings read them from `record`.
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
  # IntelMQ also fails records of other format versions or with columns it
  # cannot map (threat type, ns1, ns2, response, recent).
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
  # IntelMQ's recover_line_csv_dict: the header row and the row, stripped.
  raw = "trim(header + csvLine(row, ',', newline))"
  # IntelMQ scales the report's accuracy by the row's confidence level.
  overwrite = {
    "feed.accuracy" = "(report['feed.accuracy'] ?? 100) * toInt(record['confidence level']) / 100"
  }
}
