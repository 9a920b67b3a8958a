# SPDX-License-Identifier: AGPL-3.0-or-later

# OpenPhish public feed: one phishing URL per line.
parser "openphish" {
  intelmq_module = "intelmq.bots.parsers.openphish.parser"
  lines {
    column = "url"
  }
  set = { "classification.type" = "phishing" }
  map = { "source.url" = "url" }
}
