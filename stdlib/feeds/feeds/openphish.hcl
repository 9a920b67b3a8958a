# SPDX-License-Identifier: AGPL-3.0-or-later

feed "openphish_public" {
  provider      = "OpenPhish"
  name          = "Public feed"
  documentation = "https://www.openphish.com/"
  description   = "OpenPhish is a fully automated self-contained platform for phishing intelligence. It identifies phishing sites and performs intelligence analysis in real time without human intervention and without using any external resources, such as blacklists."
  parser        = parser.openphish
  collect "http" {
    url      = "https://www.openphish.com/feed.txt"
    interval = "24h"
  }
}

feed "openphish_premium" {
  provider      = "OpenPhish"
  name          = "Premium Feed"
  documentation = "https://www.openphish.com/phishing_feeds.html"
  description   = "OpenPhish is a fully automated self-contained platform for phishing intelligence. It identifies phishing sites and performs intelligence analysis in real time without human intervention and without using any external resources, such as blacklists. Discounts available for Government and National CERTs a well as for Nonprofit and Not-for-Profit organizations. Not public: access needs an account or a subscription."
  parser        = parser.openphish_commercial
  collect "http" {
    url      = "https://openphish.com/prvt-intell/"
    interval = "24h"
    username = "{{ username }}"
    password = "{{ password }}"
  }
}
