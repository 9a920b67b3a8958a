# SPDX-License-Identifier: AGPL-3.0-or-later

feed "microsoft_bingmurls" {
  provider      = "Microsoft"
  name          = "BingMURLs via Interflow"
  documentation = "https://docs.microsoft.com/en-us/security/gsp/informationsharingandexchange"
  description   = "Collects Malicious URLs detected by Bing from the Interflow API. The feed is available via Microsoft’s Government Security Program (GSP). Depending on the file sizes you may need to increase the collector's timeout. Not public: access needs an account or a subscription."
  parser        = parser.microsoft_bingmurls
  collect "interflow" {
    api_key        = "{{ api_key }}"
    file_match     = "^bingmurls_"
    not_older_than = "2 days"
    interval       = "1h"
    timeout        = "300s"
  }
}

feed "microsoft_ctip_infected_interflow" {
  provider      = "Microsoft"
  name          = "CTIP Infected via Interflow"
  documentation = "https://docs.microsoft.com/en-us/security/gsp/informationsharingandexchange"
  description   = "Collects the CTIP Infected feed (Sinkhole data for your country) files from the Interflow API.The feed is available via Microsoft’s Government Security Program (GSP). Depending on the file sizes you may need to increase the collector's timeout. As many IPs occur very often in the data, you may want to use a deduplicator specifically for the feed. More information about the feed can be found on www.dcuctip.com after login with your GSP account. Not public: access needs an account or a subscription."
  parser        = bot.microsoft_ctip
  collect "interflow" {
    api_key        = "{{ api_key }}"
    file_match     = "^ctip_"
    not_older_than = "2 days"
    interval       = "1h"
    timeout        = "300s"
  }
}

feed "microsoft_ctip_infected_azure" {
  provider      = "Microsoft"
  name          = "CTIP Infected via Azure"
  documentation = "https://docs.microsoft.com/en-us/security/gsp/informationsharingandexchange"
  description   = "Collects the CTIP (Sinkhole data) from a shared Azure Storage. The feed is available via Microsoft’s Government Security Program (GSP). As many IPs occur very often in the data, you may want to use a deduplicator specifically for the feed. More information about the feed can be found on www.dcuctip.com after login with your GSP account. Not public: access needs an account or a subscription."
  parser        = bot.microsoft_ctip
  collect "azure" {
    connection_string = "{{ connection_string }}"
    container_name    = "ctip-infected-summary"
    interval          = "1h"
  }
}

feed "microsoft_ctip_c2_azure" {
  provider      = "Microsoft"
  name          = "CTIP C2 via Azure"
  documentation = "https://docs.microsoft.com/en-us/security/gsp/informationsharingandexchange"
  description   = "Collects the CTIP C2 feed from a shared Azure Storage. The feed is available via Microsoft’s Government Security Program (GSP). Not public: access needs an account or a subscription."
  parser        = bot.microsoft_ctip
  collect "azure" {
    connection_string = "{{ connection_string }}"
    container_name    = "ctip-c2"
    interval          = "1h"
  }
}

# Interflow's JSON list or Azure's JSON lines: the Go parser bot
# parser.microsoft_ctip (IntelMQ's intelmq.bots.parsers.microsoft.parser_ctip).
bot "parser.microsoft_ctip" "microsoft_ctip" {}
