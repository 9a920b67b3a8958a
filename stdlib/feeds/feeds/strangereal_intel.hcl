# SPDX-License-Identifier: AGPL-3.0-or-later

feed "strangereal_intel_dailyioc" {
  provider      = "Strangereal Intel"
  name          = "DailyIOC"
  documentation = "https://github.com/StrangerealIntel/DailyIOC"
  description   = "Daily IOC from tweets and articles. collector's `extra_fields` parameter may be any of fields from the github `content API response <https://developer.github.com/v3/repos/contents/>`_."
  parser        = parser.github_feed
  collect "github_contents_api" {
    repository            = "StrangerealIntel/DailyIOC"
    regex                 = ".*.json"
    personal_access_token = "{{ personal_access_token }}"
    interval              = "24h"
  }
}
