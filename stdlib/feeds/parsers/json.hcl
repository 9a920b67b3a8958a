# SPDX-License-Identifier: AGPL-3.0-or-later

# IntelMQ's own event format as JSON: every key is a field name already, so
# the record is spread into the event as it is (IntelMQ's update). Without
# splitlines the whole report is one event, and its raw is the report.
parser "json" {
  intelmq_module = "intelmq.bots.parsers.json.parser"
  json {
    single = true
  }
  spread = "record"
  raw    = "text"
}

# The same with IntelMQ's parameter splitlines = true: one event per line.
parser "json_splitlines" {
  intelmq_module = "intelmq.bots.parsers.json.parser"
  jsonlines {}
  spread = "record"
}
