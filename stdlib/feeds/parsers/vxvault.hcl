# SPDX-License-Identifier: AGPL-3.0-or-later

# VX Vault: an HTML <pre> block of URLs after a three-line header whose third
# line is the list's date.
parser "vxvault" {
  intelmq_module = "intelmq.bots.parsers.vxvault.parser"
  lines {
    column     = "url"
    skip_lines = 3
  }
  skip = "!hasPrefix(url, 'http')"
  set  = { "classification.type" = "malware-distribution" }
  map = {
    "source.ip|source.fqdn" = "urlHost(url)"
    "source.url"            = "url"
    "source.port"           = "regexExtract(url, '^[a-zA-Z]+://[^/]*:([0-9]+)', 1)"
    "time.source"           = "timeFormat('fuzzy', splitPart(header, newline, 2))"
  }
}
