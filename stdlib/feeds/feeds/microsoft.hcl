# SPDX-License-Identifier: AGPL-3.0-or-later

feed "microsoft_bingmurls" {
  provider      = "Microsoft"
  name          = "BingMURLs via Interflow"
  documentation = "https://docs.microsoft.com/en-us/security/gsp/informationsharingandexchange"
  description   = "Collects Malicious URLs detected by Bing from the Interflow API. The feed is available via Microsoft’s Government Security Program (GSP). Depending on the file sizes you may need to increase the parameter 'http_timeout_sec' of the collector. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's Interflow collector (intelmq.bots.collectors.microsoft.collector_interflow) with your api_key, file_match \"^bingmurls_\" and not_older_than \"2 days\", every hour sends the reports to this feed's parser."
  parser        = parser.microsoft_bingmurls
}
