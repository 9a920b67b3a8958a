# SPDX-License-Identifier: AGPL-3.0-or-later

feed "eset_eti_domains" {
  provider      = "ESET"
  name          = "ETI Domains"
  documentation = "https://www.eset.com/int/business/services/threat-intelligence/"
  description   = "Domain data from ESET's TAXII API. Not public: access needs an account or a subscription."
  parser        = parser.eset
  collect "eset" {
    endpoint   = "eti.eset.com"
    collection = "ei.domains v2 (json)"
    username   = "{{ username }}"
    password   = "{{ password }}"
    time_delta = "1h"
    interval   = "1h"
  }
}

feed "eset_eti_urls" {
  provider      = "ESET"
  name          = "ETI URLs"
  documentation = "https://www.eset.com/int/business/services/threat-intelligence/"
  description   = "URL data from ESET's TAXII API. Not public: access needs an account or a subscription."
  parser        = parser.eset
  collect "eset" {
    endpoint   = "eti.eset.com"
    collection = "ei.urls (json)"
    username   = "{{ username }}"
    password   = "{{ password }}"
    time_delta = "1h"
    interval   = "1h"
  }
}
