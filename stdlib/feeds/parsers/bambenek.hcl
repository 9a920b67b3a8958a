# SPDX-License-Identifier: AGPL-3.0-or-later

# Bambenek Consulting OSINT feeds: "indicator,description,date,manual URL"
# lines. One IntelMQ module serves three lists; the file name of feed.url
# says which one (IntelMQ compares whole URLs of osint. and faf.).
parser "bambenek" {
  intelmq_module = "intelmq.bots.parsers.bambenek.parser"
  lines {
    regex   = "^(?P<indicator>[^,]*),(?P<text>.*),(?P<date>[^,]*),(?P<manual>[^,]*)$"
    comment = ["#"]
  }
  let = {
    lists = {
      "c2-ipmasterlist.txt"  = { field = "ip", type = "c2-server", time = " UTC", status = "online" }
      "c2-dommasterlist.txt" = { field = "fqdn", type = "c2-server", time = " UTC", status = "online" }
      "dga-feed.txt"         = { field = "fqdn", type = "dga-domain", time = " 00:00 UTC" }
    }
    malware = { cl = "cryptolocker", p2pgoz = "p2p goz", ptgoz = "pt goz", volatile = "volatile cedar" }
  }
  map = {
    "event_description.text" = "text"
    "event_description.url"  = "manual"
    "malware.name"           = "let m = split(splitPart(manual, '/', -1), '.')[0]; malware[m] ?? m"
    "source.ip"              = "lists[splitPart(report['feed.url'], '/', -1)]?.field == 'ip' ? indicator : nil"
    "source.fqdn"            = "lists[splitPart(report['feed.url'], '/', -1)]?.field == 'fqdn' ? indicator : nil"
    "time.source"            = "date + lists[splitPart(report['feed.url'], '/', -1)].time"
    "classification.type"    = "lists[splitPart(report['feed.url'], '/', -1)].type"
    "status"                 = "lists[splitPart(report['feed.url'], '/', -1)]?.status"
  }
}
