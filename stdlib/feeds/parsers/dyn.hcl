# SPDX-License-Identifier: AGPL-3.0-or-later

# DynDNS ponmocup list: "IP-or-/ domain URL redirect-target" lines. Each line
# gives two events: the infected site distributing malware, and the
# compromised redirect target.
parser "dyn" {
  intelmq_module = "intelmq.bots.parsers.dyn.parser"
  lines {
    regex   = "^(?P<ip>\\S+)\\s+(?P<domain>\\S+)\\s+(?P<url>\\S+)\\s+(?P<target>\\S+)"
    comment = ["#"]
  }
  let = {
    # US time zone names in the header date, which a fuzzy parse does not know.
    zones = { PDT = "-0700", PST = "-0800" }
  }
  # The list's time is the header comment "# last updated: Tue Mar 15 00:47:49 PDT 2016".
  map = {
    "time.source" = "let d = regexExtract(comments, 'last updated: (.*)', 1); let z = regexExtract(d, ' ([A-Z]{3}) ', 1); timeFormat('fuzzy', z in zones ? replace(d, ' ' + z + ' ', ' ' + zones[z] + ' ') : d)"
  }
  each {
    list = "[1]"
    set = {
      "classification.type"    = "malware-distribution"
      "event_description.text" = "has malicious code redirecting to malicious host"
    }
    map = {
      "source.ip"        = "ip != '/' ? ip : nil"
      "source.fqdn"      = "domain"
      "source.url"       = "url"
      "destination.fqdn" = "target"
    }
  }
  each {
    list = "[2]"
    set = {
      "classification.type"    = "system-compromise"
      "event_description.text" = "host has been compromised and has malicious code infecting users"
    }
    map = {
      "destination.ip"   = "ip != '/' ? ip : nil"
      "destination.fqdn" = "domain"
      "destination.url"  = "url"
      "source.fqdn"      = "target"
    }
  }
}
