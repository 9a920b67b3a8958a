# SPDX-License-Identifier: AGPL-3.0-or-later

# AlienVault IP reputation: "ip#reliability#risk#types#cc#city#lat,long#..."
# lines; one event per ";"-separated type.
parser "alienvault" {
  intelmq_module = "intelmq.bots.parsers.alienvault.parser"
  lines {
    regex = "^(?P<ip>[^#]*)#(?P<reliability>[^#]*)#(?P<risk>[^#]*)#(?P<types>[^#]*)#(?P<cc>[^#]*)#(?P<city>[^#]*)#(?P<geo>[^#]*)"
  }
  let = {
    classes = {
      "c2server"       = "c2-server", "scanning host" = "scanner", "malicious host" = "infected-system", "spamming" = "spam",
      "malware domain" = "malware-distribution", "malware ip" = "malware-distribution", "malware distribution" = "malware-distribution"
    }
  }
  map = {
    "source.ip"                    = "trim(ip)"
    "source.geolocation.cc"        = "trim(cc)"
    "source.geolocation.city"      = "trim(city)"
    "source.geolocation.latitude"  = "trim(splitPart(geo, ',', 0))"
    "source.geolocation.longitude" = "trim(splitPart(geo, ',', 1))"
  }
  each {
    list = "split(types, ';')"
    map  = { "classification.type" = "classes[lower(item)] ?? 'undetermined'" }
  }
}
