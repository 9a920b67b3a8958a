# SPDX-License-Identifier: AGPL-3.0-or-later

# SURBL in rbldnsd format: ".domain" lines; an attribute line
# ":127.0.0.128:Blocked, $ on lists [mw], ..." sets the lists (and so the
# type) of the domains after it, which the language cannot carry from line
# to line yet: every domain is a blacklist entry here.
parser "surbl" {
  intelmq_module = "intelmq.bots.parsers.surbl.parser"
  lines {
    column = "entry"
  }
  skip = "!hasPrefix(entry, '.')"
  set  = { "classification.type" = "blacklist" }
  map  = { "source.fqdn" = "entry[1:]" }
}
