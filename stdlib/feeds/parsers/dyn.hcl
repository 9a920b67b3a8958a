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
