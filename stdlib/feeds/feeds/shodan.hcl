# SPDX-License-Identifier: AGPL-3.0-or-later

feed "shodan_country_stream" {
  provider      = "Shodan"
  name          = "Country Stream"
  documentation = "https://developer.shodan.io/api/stream"
  description   = "Collects the Shodan stream for one or multiple countries from the Shodan API. A Shodan account with streaming permissions is needed. Not public: access needs an account or a subscription."
  parser        = parser.shodan
  collect "shodan_stream" {
    api_key   = "{{ api_key }}"
    countries = "{{ countries }}"
  }
}
