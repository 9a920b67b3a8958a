# SPDX-License-Identifier: AGPL-3.0-or-later

feed "hibp_enterprise_callback" {
  provider      = "Have I Been Pwned"
  name          = "Enterprise Callback"
  documentation = "https://haveibeenpwned.com/EnterpriseSubscriber/"
  description   = "With the Enterprise Subscription of 'Have I Been Pwned' you are able to provide a callback URL and any new leak data is submitted to it. It is recommended to put a webserver with Authorization check, TLS etc. in front of the API collector. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's API collector (intelmq.bots.collectors.api.collector_api) on port 5001, behind a web server with TLS and authorization that HIBP calls back sends the reports to this feed's parser."
  parser        = parser.hibp_callback
}
