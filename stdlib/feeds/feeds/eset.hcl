# SPDX-License-Identifier: AGPL-3.0-or-later

feed "eset_eti_domains" {
  provider      = "ESET"
  name          = "ETI Domains"
  documentation = "https://www.eset.com/int/business/services/threat-intelligence/"
  description   = "Domain data from ESET's TAXII API. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's ESET TAXII collector (intelmq.bots.collectors.eset.collector) with endpoint \"eti.eset.com\", collection \"ei.domains v2 (json)\", your username and password sends the reports to this feed's parser."
  parser        = parser.eset
}

feed "eset_eti_urls" {
  provider      = "ESET"
  name          = "ETI URLs"
  documentation = "https://www.eset.com/int/business/services/threat-intelligence/"
  description   = "URL data from ESET's TAXII API. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's ESET TAXII collector (intelmq.bots.collectors.eset.collector) with endpoint \"eti.eset.com\", collection \"ei.urls (json)\", your username and password sends the reports to this feed's parser."
  parser        = parser.eset
}
