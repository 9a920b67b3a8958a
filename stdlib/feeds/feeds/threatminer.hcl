# SPDX-License-Identifier: AGPL-3.0-or-later

feed "threatminer_recent_domains" {
  provider      = "Threatminer"
  name          = "Recent domains"
  documentation = "https://www.threatminer.org/"
  description   = "Latest malicious domains."
  parser        = bot.threatminer
  collect "http" {
    url      = "https://www.threatminer.org/"
    interval = "24h"
  }
}

# The HTML page, scraped: the Go parser bot parser.threatminer (IntelMQ's
# intelmq.bots.parsers.threatminer.parser).
bot "parser.threatminer" "threatminer" {}
