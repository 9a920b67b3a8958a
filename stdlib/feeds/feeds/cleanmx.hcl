# SPDX-License-Identifier: AGPL-3.0-or-later

feed "cleanmx_virus" {
  provider      = "CleanMX"
  name          = "Virus"
  documentation = "http://clean-mx.de/"
  description   = "In order to download the CleanMX feed you need to use a custom user agent and register that user agent. Not public: access needs an account or a subscription."
  parser        = bot.cleanmx_virus
  collect "http" {
    url        = "http://support.clean-mx.de/clean-mx/xmlviruses?response=alive&domain="
    interval   = "24h"
    timeout    = "2m"
    user_agent = "{{ your user agent }}"
  }
}

feed "cleanmx_phishing" {
  provider      = "CleanMX"
  name          = "Phishing"
  documentation = "http://clean-mx.de/"
  description   = "In order to download the CleanMX feed you need to use a custom user agent and register that user agent. Not public: access needs an account or a subscription."
  parser        = bot.cleanmx_phishing
  collect "http" {
    url        = "http://support.clean-mx.de/clean-mx/xmlphishing?response=alive&domain="
    interval   = "24h"
    timeout    = "2m"
    user_agent = "{{ your user agent }}"
  }
}

# CleanMX's XML, one event per <entry>: the Go parser bot parser.cleanmx
# (IntelMQ's intelmq.bots.parsers.cleanmx.parser). IntelMQ tells the feed
# by the report's feed.url; the parameter feed says it whatever the URL.
bot "parser.cleanmx" "cleanmx_virus" {
  feed = "viruses"
}

bot "parser.cleanmx" "cleanmx_phishing" {
  feed = "phishing"
}
