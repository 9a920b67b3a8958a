# SPDX-License-Identifier: AGPL-3.0-or-later

# SURBL in rbldnsd format: ".domain" lines; an attribute line
# ":127.0.0.128:Blocked, $ on lists [mw], ..." sets the lists (and so the
# type) of the domains after it: [mw] malware, [ph] phishing, else a
# blacklist entry.
parser "surbl" {
  intelmq_module = "intelmq.bots.parsers.surbl.parser"
  lines {
    column  = "entry"
    comment = [":"]
  }
  skip = "!hasPrefix(entry, '.')"
  map = {
    "classification.type" = "let l = splitPart(comments, '\\n', -1); l contains '[mw]' ? 'malware-distribution' : (l contains '[ph]' ? 'phishing' : 'blacklist')"
  }
  optional = { "source.fqdn" = "entry[1:]" }
}
