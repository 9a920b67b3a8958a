# SPDX-License-Identifier: AGPL-3.0-or-later

# CZ.NIC HaaS (SSH honeypot as a service): a JSON list of sessions. A
# successful login is a compromise, a failed one a brute-force attempt.
parser "cznic_haas" {
  intelmq_module = "intelmq.bots.parsers.cznic.parser_haas"
  json {
    keys = ["time", "ip", "country", "login_successful", "commands", "time_closed"]
  }
  set = {
    "protocol.transport"   = "tcp"
    "protocol.application" = "ssh"
    "destination.port"     = 22
  }
  map = {
    "source.ip"             = "ip"
    "time.source"           = "utcTime(time)"
    "extra.time_closed"     = "time_closed"
    "extra.commands"        = "commands"
    "source.geolocation.cc" = "country"
    "classification.type"   = "login_successful ? 'system-compromise' : 'brute-force'"
    "extra.count"           = "login_successful ? nil : 1"
  }
  # IntelMQ's recover_line_json: json.dumps([element]).
  raw = "'[' + pyJSONText(line) + ']'"
}
