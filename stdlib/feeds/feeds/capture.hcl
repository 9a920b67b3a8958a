# SPDX-License-Identifier: AGPL-3.0-or-later

feed "capture_ponmocup_cif" {
  provider      = "cAPTure"
  name          = "Ponmocup Domains CIF Format"
  documentation = "http://security-research.dyndns.org/pub/malware-feeds/"
  description   = "List of ponmocup malware redirection domains and infected web-servers from cAPTure. See also http://security-research.dyndns.org/pub/botnet-links.htm and http://c-apt-ure.blogspot.com/search/label/ponmocup The data in the CIF format is not equal to the Shadowserver CSV format. Reasons are unknown."
  parser        = parser.dyn
  collect "http" {
    url      = "http://security-research.dyndns.org/pub/malware-feeds/ponmocup-infected-domains-CIF-latest.txt"
    interval = "3h"
  }
}

feed "capture_ponmocup_shadowserver" {
  provider      = "cAPTure"
  name          = "Ponmocup Domains Shadowserver Format"
  documentation = "http://security-research.dyndns.org/pub/malware-feeds/"
  description   = "List of ponmocup malware redirection domains and infected web-servers from cAPTure. See also http://security-research.dyndns.org/pub/botnet-links.htm and http://c-apt-ure.blogspot.com/search/label/ponmocup The data in the Shadowserver CSV is not equal to the CIF format format. Reasons are unknown."
  parser        = parser.capture_ponmocup_shadowserver
  collect "http" {
    url      = "http://security-research.dyndns.org/pub/malware-feeds/ponmocup-infected-domains-shadowserver.csv"
    interval = "3h"
  }
}

# cAPTure's ponmocup list in Shadowserver's CSV layout, with a header row.
# IntelMQ's generic CSV parser with the feed's columns, except the URL:
# feeds.yaml composes it of columns 0 and 1 (time and address), which is
# never a URL; host and path are columns 2 and 3.
parser "capture_ponmocup_shadowserver" {
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  csv {
    comment     = ["#"]
    skip_lines  = 1
    lazy_quotes = true
  }
  fields = [
    "time.source", "source.ip", "source.fqdn", "source.urlpath", "source.port", "protocol.application",
    "extra.tag", "extra.redirect_target", "extra.category",
  ]
  compose_fields = {
    "source.url" = "http://{2}{3}"
  }
  default_fields = {
    "classification.type" = "malware-distribution"
  }
}
