# SPDX-License-Identifier: AGPL-3.0-or-later
#
# A CSV feed written from scratch, with its own parser: the columns are
# named, and each field is an expression over them (docs/language.md, "A
# feed in five minutes"). Try:
#
#   intelmq validate examples/csv_feed
#   intelmq parse --parser example_c2 examples/csv_feed/samples/c2.csv examples/csv_feed
#   intelmq run --once examples/csv_feed       (writes output/ and var/ here)

feed "example_c2" {
  provider = "Example CERT"
  name     = "C2 List"
  accuracy = 90
  # A real feed is fetched with collect "http" { url = "https://…", interval = "1h" }.
  collect "file" {
    path = "samples/c2*.csv"
  }
  parser = parser.example_c2
}

parser "example_c2" {
  csv {
    comment = ["#"]
    columns = ["first_seen", "ip", "port", "status", "malware", "tags"]
  }
  skip = "status == 'offline'" # no event, and no error, for these rows
  set = {
    "classification.type" = "c2-server"
    "protocol.transport"  = "tcp"
  }
  map = {
    "time.source"  = "parseTime(first_seen, '%Y-%m-%d %H:%M:%S')"
    "source.ip"    = "ip"
    "malware.name" = "lower(malware)"
    "extra.tags"   = "tags == '' ? nil : split(tags, ',')"
  }
  optional = {
    # toInt('') is an error: an empty port gives no source.port.
    "source.port" = "port == '' ? nil : toInt(port)"
  }
}

output "file" "events" {
  file = "output/events.jsonl"
}

pipeline "main" {
  feeds = [feed.example_c2]
  route {
    to = [output.events]
  }
}
