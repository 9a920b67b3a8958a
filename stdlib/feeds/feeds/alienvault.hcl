# SPDX-License-Identifier: AGPL-3.0-or-later

feed "alienvault_otx" {
  provider      = "AlienVault"
  name          = "OTX"
  documentation = "https://otx.alienvault.com/"
  description   = "AlienVault OTX Collector is the bot responsible to get the report through the API. Report could vary according to subscriptions. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's OTX collector (intelmq.bots.collectors.alienvault_otx.collector) with your api_key sends the reports to this feed's parser."
  parser        = parser.alienvault_otx
}

feed "alienvault_reputation" {
  provider    = "AlienVault"
  name        = "Reputation List"
  description = "List of malicious IPs."
  parser      = parser.alienvault
  collect "http" {
    url      = "https://reputation.alienvault.com/reputation.data"
    interval = "1h"
  }
}
