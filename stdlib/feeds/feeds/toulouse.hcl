# SPDX-License-Identifier: AGPL-3.0-or-later

# The Université Toulouse Capitole publishes many blacklists, one archive
# per collection (adult, malware, phishing, ...). IntelMQ's catalogue has
# one template entry whose columns and type depend on the collection; this
# feed reads the domain list of any collection as a blacklist. For a
# specific classification, copy parser.toulouse_domains under another name
# and change classification.type (e.g. "malware-distribution" for the
# malware collection, "phishing" for phishing).
feed "toulouse_blacklist" {
  provider      = "University of Toulouse"
  name          = "Blacklist"
  documentation = "https://dsi.ut-capitole.fr/blacklists/"
  description   = "Various blacklist feeds. The collection is chosen by the user; this feed reads its list of domains."
  parser        = parser.toulouse_domains
  collect "http" {
    url           = "https://dsi.ut-capitole.fr/blacklists/download/{{ collection }}.tar.gz"
    extract_files = ["*/domains"]
    interval      = "12h"
  }
}

# One domain per line, as in every collection's "domains" file.
parser "toulouse_domains" {
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  lines {
    column = "domain"
  }
  set = { "classification.type" = "blacklist" }
  map = { "source.fqdn" = "domain" }
}
