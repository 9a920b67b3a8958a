# SPDX-License-Identifier: AGPL-3.0-or-later

# PhishTank online-valid.json: a JSON list of verified online phishing URLs;
# the first entry of "details" gives the hosting address.
parser "phishtank" {
  intelmq_module = "intelmq.bots.parsers.phishtank.parser"
  json {
    keys = ["phish_id", "url", "phish_detail_url", "submission_time", "verified", "verification_time", "target", "details"]
  }
  set = {
    "classification.type" = "phishing"
    "status"              = "online"
  }
  map = { "source.url" = "url" }
  optional = {
    "time.source"                       = "submission_time"
    "extra.phishtank.phish_id"          = "phish_id"
    "event_description.url"             = "phish_detail_url"
    "event_description.target"          = "target"
    "extra.phishtank.verified"          = "verified"
    "extra.phishtank.verification_time" = "verification_time"
    "source.ip"                         = "details?.[0]?.ip_address"
    "source.network"                    = "details?.[0]?.cidr_block"
    "source.asn"                        = "details?.[0]?.announcing_network"
    "source.geolocation.cc"             = "details?.[0]?.country"
  }
  # IntelMQ's recover_line_json: json.dumps([element]).
  raw = "'[' + pyJSONText(line) + ']'"
}
