# SPDX-License-Identifier: AGPL-3.0-or-later

# Danger Rulez BruteForceBlocker: "IP <tabs> # date time <tabs> count id".
parser "danger_rulez" {
  intelmq_module = "intelmq.bots.parsers.danger_rulez.parser"
  lines {
    regex   = "^(?P<ip>[^ \\t]+).*?# (?P<seen>[^ \\t]+ [^ \\t]+)"
    comment = ["#"]
  }
  set = { "classification.type" = "brute-force" }
  map = {
    "time.source" = "seen + ' UTC'"
    "source.ip"   = "ip"
  }
}
