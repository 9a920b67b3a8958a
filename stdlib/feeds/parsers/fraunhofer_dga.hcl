# SPDX-License-Identifier: AGPL-3.0-or-later

# Fraunhofer DGArchive: one JSON object mapping "<malware>_dga_<seed>..." to
# the list of domains and addresses its DGA generated.
parser "fraunhofer_dga" {
  intelmq_module = "intelmq.bots.parsers.fraunhofer.parser_dga"
  json {
    single = true
  }
  set = { "classification.type" = "c2-server" }
  each {
    list = "flatten(map(toPairs(record), let pair = #; map(pair[1], ({malware: split(pair[0], '_')[0], value: #}))))"
    map = {
      "malware.name"          = "item.malware"
      "source.ip|source.fqdn" = "item.value"
      "raw"                   = "item.value"
    }
  }
}
