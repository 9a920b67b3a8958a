# SPDX-License-Identifier: AGPL-3.0-or-later

# AlienVault OTX: a JSON list of pulses; one event per indicator of a pulse
# whose type the parser knows (hashes, domains, addresses, e-mails, URLs,
# networks, CVEs).
parser "alienvault_otx" {
  intelmq_module = "intelmq.bots.parsers.alienvault.parser_otx"
  json {
    keys = ["id", "name", "author_name", "description", "tags", "modified", "industries", "adversary", "targeted_countries", "TLP", "indicators"]
  }
  let = {
    hashes = { "FileHash-SHA256" = "sha256", "FileHash-SHA1" = "sha1", "FileHash-MD5" = "md5" }
  }
  set = { "classification.type" = "blacklist" }
  map = {
    # IntelMQ keeps an empty adversary inside its extra dict.
    "extra"                    = "adversary != nil ? {adversary: adversary} : nil"
    "comment"                  = "description"
    "tlp"                      = "TLP"
    "extra.author"             = "author_name"
    "extra.pulse"              = "name"
    "extra.tags"               = "tags"
    "extra.time_updated"       = "modified == nil ? nil : (modified contains '.' ? modified[:-4] + '+00:00' : modified + '.00+00:00')"
    "extra.industries"         = "industries"
    "extra.targeted_countries" = "len(targeted_countries ?? []) > 0 ? targeted_countries : nil"
  }
  each {
    list = "indicators ?? []"
    raw  = "pyJSON(item)"
    skip = "item.type not in ['FileHash-SHA256', 'FileHash-SHA1', 'FileHash-MD5', 'hostname', 'domain', 'IPv4', 'IPv6', 'email', 'URL', 'URI', 'CIDR', 'CVE']"
    map = {
      "extra.pulse_key"     = "item.pulse_key ?? record.id"
      "extra.cve"           = "item.type == 'CVE' ? item.indicator : nil"
      "malware.hash.sha256" = "hashes[item.type] == 'sha256' ? item.indicator : nil"
      "malware.hash.sha1"   = "hashes[item.type] == 'sha1' ? item.indicator : nil"
      "malware.hash.md5"    = "hashes[item.type] == 'md5' ? item.indicator : nil"
      # A "domain" with a path is a URL.
      "source.url"     = "let u = item.indicator contains '://' ? item.indicator : 'http://' + item.indicator; item.type in ['hostname', 'domain'] && urlPath(u) != '' || item.type == 'URL' ? u : (item.type == 'URI' && item.indicator contains '://' ? item.indicator : nil)"
      "source.fqdn"    = "item.type in ['hostname', 'domain'] && urlPath(item.indicator contains '://' ? item.indicator : 'http://' + item.indicator) == '' ? item.indicator : nil"
      "source.ip"      = "item.type in ['IPv4', 'IPv6'] ? item.indicator : nil"
      "source.account" = "item.type == 'email' ? item.indicator : nil"
      "source.network" = "item.type == 'CIDR' ? item.indicator : nil"
      # IntelMQ cuts the last four characters off, meant for the fraction
      # ".093": without one it turns 20:15:44 into 20:01.
      "time.source" = "item.created contains '.' ? item.created[:-4] + '+00:00' : utcTime(item.created)"
    }
    # An OTX URI is a full URL or only a path: IntelMQ tries source.url
    # first, then source.urlpath.
    optional = {
      "source.urlpath" = "item.type == 'URI' && !(item.indicator contains '://') ? item.indicator : nil"
    }
  }
}
