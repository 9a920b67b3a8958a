# SPDX-License-Identifier: AGPL-3.0-or-later

# McAfee Advanced Threat Defense: one JSON analysis report. A sample with a
# verdict severity of 4 or more (IntelMQ's verdict_severity) gives an event
# for the sample, one per dropped file, and one per contacted address and
# URL, each with the sample's hashes.
parser "mcafee_atd" {
  intelmq_module = "intelmq.bots.parsers.mcafee.parser_atd"
  json {
    single = true
    keys   = ["Summary"]
  }
  let = {
    verdict_severity = 4
  }
  skip = "int(Summary.Verdict.Severity) < verdict_severity"
  set = {
    "classification.taxonomy" = "malicious-code"
    "classification.type"     = "infected-system"
  }
  # The sample, its dropped files, then the addresses and URLs it contacted;
  # all but the files carry the sample's name and hashes.
  each {
    list = "concat([{}], Summary.Files ?? [], Summary.Ips ?? [], Summary.Urls ?? [])"
    map = {
      "malware.name"        = "index > 0 && index <= len(Summary.Files ?? []) ? item.Name : Summary.Subject.Name"
      "malware.hash.md5"    = "index > 0 && index <= len(Summary.Files ?? []) ? item.Md5 : Summary.Subject.md5"
      "malware.hash.sha1"   = "index > 0 && index <= len(Summary.Files ?? []) ? item.Sha1 : Summary.Subject['sha-1']"
      "malware.hash.sha256" = "index > 0 && index <= len(Summary.Files ?? []) ? item.Sha256 : Summary.Subject['sha-256']"
      "destination.ip"      = "item.Ipv4"
      "destination.port"    = "item.Port"
      "destination.fqdn"    = "item.Url ?? item.domain ?? item.hostname"
    }
  }
  # IntelMQ's raw is the whole report.
  raw = "text"
}
