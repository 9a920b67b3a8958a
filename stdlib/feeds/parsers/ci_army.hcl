# SPDX-License-Identifier: AGPL-3.0-or-later

# CINS Army list: one IP address per line, "#" comments.
parser "ci_army" {
  intelmq_module = "intelmq.bots.parsers.ci_army.parser"
  lines {
    column  = "ip"
    comment = ["#"]
  }
  set = { "classification.type" = "blacklist" }
  map = { "source.ip" = "ip" }
}
