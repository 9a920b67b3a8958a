# SPDX-License-Identifier: AGPL-3.0-or-later

feed "hibp_enterprise_callback" {
  provider      = "Have I Been Pwned"
  name          = "Enterprise Callback"
  documentation = "https://haveibeenpwned.com/EnterpriseSubscriber/"
  description   = "With the Enterprise Subscription of 'Have I Been Pwned' you are able to provide a callback URL and any new leak data is submitted to it. It is recommended to put a webserver with Authorization check, TLS etc. in front of the API collector. Not public: access needs an account or a subscription."
  parser        = parser.hibp_callback
  collect "api" {
    port = 5001
  }
}
