# SPDX-License-Identifier: AGPL-3.0-or-later

# Microsoft Bing malicious URLs (Interflow, version 1.5): a JSON list.
parser "microsoft_bingmurls" {
  intelmq_module = "intelmq.bots.parsers.microsoft.parser_bingmurls"
  json {
    keys = ["Attributable", "Description", "IndicatorThreatType", "TLPLevel", "FirstReportedDateTime", "NetworkDestinationAsn", "NetworkDestinationIPv4", "NetworkDestinationPort", "IsProductLicensed", "IsPartnerShareable", "Url", "IndicatorProvider", "IndicatorExpirationDateTime", "ThreatDetectionProduct", "Tags"]
  }
  set = { "classification.type" = "blacklist" }
  map = {
    "extra.attributable"                   = "Attributable"
    "event_description.text"               = "Description"
    "classification.identifier"            = "IndicatorThreatType"
    "tlp"                                  = "TLPLevel"
    "time.source"                          = "FirstReportedDateTime"
    "source.asn"                           = "NetworkDestinationAsn != 0 ? NetworkDestinationAsn : nil"
    "source.ip"                            = "NetworkDestinationIPv4 not in ['0.0.0.0', '255.255.255.255'] ? NetworkDestinationIPv4 : nil"
    "source.port"                          = "NetworkDestinationPort"
    "extra.isproductlicensed"              = "IsProductLicensed"
    "extra.ispartnershareable"             = "IsPartnerShareable"
    "source.url"                           = "Url"
    "extra.indicator_provider"             = "IndicatorProvider"
    "extra.indicator_expiration_date_time" = "IndicatorExpirationDateTime"
    "extra.threat_detection_product"       = "ThreatDetectionProduct"
    "source.geolocation.cc"                = "len(Tags ?? []) == 1 && Tags[0] != '??' ? Tags[0] : nil"
    "extra.tags"                           = "len(Tags ?? []) > 1 ? Tags : nil"
  }
  # IntelMQ's raw: json.dumps([record], sort_keys=True).
  raw = "pyJSON([record])"
}
