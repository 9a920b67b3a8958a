# SPDX-License-Identifier: AGPL-3.0-or-later

# abuse.ch Feodo Tracker: a JSON list of botnet C2 servers.
# Ports intelmq.bots.parsers.abusech.parser_feodotracker.
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
  # IntelMQ's recover_line_json: json.dumps([element]).
  raw = "'[' + pyJSONText(line) + ']'"
}
