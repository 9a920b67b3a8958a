# SPDX-License-Identifier: AGPL-3.0-or-later

feed "alienvault_otx" {
  provider      = "AlienVault"
  name          = "OTX"
  documentation = "https://otx.alienvault.com/"
  description   = "AlienVault OTX Collector is the bot responsible to get the report through the API. Report could vary according to subscriptions. Not public: access needs an account or a subscription."
  parser        = parser.alienvault_otx
  collect "alienvault_otx" {
    api_key  = "{{ api_key }}"
    interval = "1h"
  }
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
