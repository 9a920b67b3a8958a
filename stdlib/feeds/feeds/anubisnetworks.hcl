# SPDX-License-Identifier: AGPL-3.0-or-later

feed "anubisnetworks_cyberfeed_stream" {
  provider      = "AnubisNetworks"
  name          = "Cyberfeed Stream"
  documentation = "https://www.anubisnetworks.com/ https://www.bitsight.com/"
  description   = "Fetches and parsers the Cyberfeed data stream. Not public: access needs an account or a subscription."
  parser        = parser.anubisnetworks
  collect "http_stream" {
    url         = "https://prod.cyberfeed.net/stream?key={{ api_key }}"
    strip_lines = true
  }
}
