# SPDX-License-Identifier: AGPL-3.0-or-later

# A tab-separated list ported verbatim from an IntelMQ generic CSV parser
# configuration (intelmq.bots.parsers.generic.parser_csv).
parser "sample_csv" {
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  csv {
    delimiter = "\t"
    comment   = ["#"]
  }
  fields               = ["time.source", "__IGNORE__", "event_description.text", "__IGNORE__", "__IGNORE__", "source.url", "source.ip", "source.fqdn", "__IGNORE__"]
  type                 = "malware-distribution"
  default_url_protocol = "http://"
}
