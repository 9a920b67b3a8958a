# SPDX-License-Identifier: AGPL-3.0-or-later

feed "strangereal_intel_dailyioc" {
  provider      = "Strangereal Intel"
  name          = "DailyIOC"
  documentation = "https://github.com/StrangerealIntel/DailyIOC"
  description   = "Daily IOC from tweets and articles. collector's `extra_fields` parameter may be any of fields from the github `content API response <https://developer.github.com/v3/repos/contents/>`_. Collector: none in Go yet; IntelMQ's GitHub contents collector (intelmq.bots.collectors.github_api.collector_github_contents_api) with repository \"StrangerealIntel/DailyIOC\", regex \".*.json\" and your personal_access_token sends the reports to this feed's parser."
  parser        = parser.github_feed
}
