# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Quickstart: four feeds in three formats (JSON, text lines, CSV), their
# parsers, and one pipeline. Check it with:
#
#   intelmq validate examples/quickstart
#
# and dry-run a parser over its sample with:
#
#   intelmq parse --parser feodotracker examples/quickstart/samples/feodotracker.json

feed "feodotracker" {
  provider       = "abuse.ch"
  name           = "Feodo Tracker"
  documentation  = "https://feodotracker.abuse.ch/"
  intelmq_module = "intelmq.bots.parsers.abusech.parser_feodotracker"
  collect "http" {
    url      = "https://feodotracker.abuse.ch/downloads/ipblocklist.json"
    interval = "1h"
  }
  parser = parser.feodotracker
}

feed "blocklistde_imap" {
  provider       = "Blocklist.de"
  name           = "IMAP"
  documentation  = "https://www.blocklist.de/en/export.html"
  intelmq_module = "intelmq.bots.parsers.blocklistde.parser"
  collect "http" {
    url      = "https://lists.blocklist.de/lists/imap.txt"
    interval = "24h"
  }
  parser = parser.blocklistde
}

feed "dataplane_sshpwauth" {
  provider       = "DataPlane.org"
  name           = "SSH Password Authentication"
  documentation  = "https://dataplane.org/"
  intelmq_module = "intelmq.bots.parsers.dataplane.parser"
  collect "http" {
    url      = "https://dataplane.org/sshpwauth.txt"
    interval = "1h"
  }
  parser = parser.dataplane
}

feed "sample_csv" {
  provider       = "Sample Provider"
  name           = "Sample CSV Feed"
  accuracy       = 80
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  collect "file" {
    path    = "/var/lib/intelmq/incoming"
    postfix = ".csv"
  }
  parser = parser.sample_csv
}
