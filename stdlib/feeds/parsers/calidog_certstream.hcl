# SPDX-License-Identifier: AGPL-3.0-or-later

# CertStream (calidog): one certificate update as a JSON document; one event
# per domain of the leaf certificate.
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
  # IntelMQ's raw is the whole report.
  raw = "text"
}
