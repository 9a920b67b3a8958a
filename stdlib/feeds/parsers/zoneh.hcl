# SPDX-License-Identifier: AGPL-3.0-or-later

# Zone-H defacement reports: CSV with a header row; the defaced URL is in
# the column "domain".
parser "zoneh" {
  intelmq_module = "intelmq.bots.parsers.zoneh.parser"
  csv {
    header = true
  }
  set = {
    "classification.identifier" = "compromised-website"
    "classification.type"       = "unauthorised-information-modification"
    "event_description.text"    = "defacement"
  }
  map = {
    "time.source"             = "record.add_date + ' UTC'"
    "protocol.application"    = "urlScheme(record.domain)"
    "extra.accepted_date"     = "record.accept_date"
    "extra.actor"             = "record.attacker"
    "extra.http_target"       = "record.web_server"
    "extra.os.name"           = "record.system"
    "extra.compromise_method" = "record.hackmode"
    "extra.zoneh_report_id"   = "record.defacement_id"
  }
  optional = {
    "source.ip"             = "record.ip_address"
    "source.fqdn"           = "urlHost(record.domain)"
    "source.geolocation.cc" = "record.country_code"
    "source.url"            = "record.domain"
  }
  # IntelMQ's recover_line: the header row and the line as written.
  raw = "header + line + line_end"
}
