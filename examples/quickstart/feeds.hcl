# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Quickstart: four feeds in three formats (JSON, text lines, CSV) and one
# pipeline. Three feeds use parsers of the shipped library by name
# (parser.dataplane: "intelmq feeds list" shows them, "intelmq feeds show"
# prints one to copy and change); the CSV feed has its own, in parsers.hcl.
# Check it with:
#
#   intelmq validate examples/quickstart
#
# dry-run a parser over its sample with:
#
#   intelmq parse --parser abusech_feodotracker examples/quickstart/samples/feodotracker.json
#
# and run it all once, on the embedded queue (make run):
#
#   intelmq run --once examples/quickstart
#
# So that it runs anywhere without network access, each feed's collector
# reads the feed's sample from samples/ (relative paths are relative to this
# directory); the URL each feed is published at is given beside it.

feed "feodotracker" {
  provider       = "abuse.ch"
  name           = "Feodo Tracker"
  documentation  = "https://feodotracker.abuse.ch/"
  intelmq_module = "intelmq.bots.parsers.abusech.parser_feodotracker"
  # Published at https://feodotracker.abuse.ch/downloads/ipblocklist.json (collect "http" { url = "…", interval = "1h" }).
  collect "file" {
    path = "samples/feodotracker*.json"
  }
  parser = parser.abusech_feodotracker
}

feed "blocklistde_imap" {
  provider       = "Blocklist.de"
  name           = "IMAP"
  documentation  = "https://www.blocklist.de/en/export.html"
  intelmq_module = "intelmq.bots.parsers.blocklistde.parser"
  # Published at https://lists.blocklist.de/lists/imap.txt (collect "http" { url = "…", interval = "24h" }).
  collect "file" {
    path = "samples/imap*.txt"
  }
  parser = parser.blocklistde
}

feed "dataplane_sshpwauth" {
  provider       = "DataPlane.org"
  name           = "SSH Password Authentication"
  documentation  = "https://dataplane.org/"
  intelmq_module = "intelmq.bots.parsers.dataplane.parser"
  # Published at https://dataplane.org/sshpwauth.txt (collect "http" { url = "…", interval = "1h" }).
  collect "file" {
    path = "samples/sshpwauth*.txt"
  }
  parser = parser.dataplane
}

feed "sample_csv" {
  provider       = "Sample Provider"
  name           = "Sample CSV Feed"
  accuracy       = 80
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  collect "file" {
    path = "samples/sample_report*.csv"
  }
  parser = parser.sample_csv
}
