# SPDX-License-Identifier: AGPL-3.0-or-later

# CZ.NIC PROKI: the events of the national CERT's sources as a JSON list
# under "data", its keys IntelMQ field names already. The original feed name
# and observation time are kept in extra.
parser "cznic_proki" {
  intelmq_module = "intelmq.bots.parsers.cznic.parser_proki"
  json {
    path = ["data"]
  }
  spread = "renameKeys(record, {'feed.name': 'extra.original_feed_name', 'time.observation': 'extra.original_time_observation'})"
  # IntelMQ's recover_line_json: json.dumps([element]).
  raw = "'[' + pyJSONText(line) + ']'"
}
