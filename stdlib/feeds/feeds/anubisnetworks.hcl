# SPDX-License-Identifier: AGPL-3.0-or-later

feed "anubisnetworks_cyberfeed_stream" {
  provider      = "AnubisNetworks"
  name          = "Cyberfeed Stream"
  documentation = "https://www.anubisnetworks.com/ https://www.bitsight.com/"
  description   = "Fetches and parsers the Cyberfeed data stream. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's HTTP stream collector (intelmq.bots.collectors.http.collector_http_stream) on https://prod.cyberfeed.net/stream?key={{ api_key }} with strip_lines true sends the reports to this feed's parser."
  parser        = parser.anubisnetworks
}
