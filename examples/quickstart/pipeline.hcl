# SPDX-License-Identifier: AGPL-3.0-or-later

expert "taxonomy" "taxonomy" {}

expert "deduplicator" "dedup" {
  filter_keys = ["raw", "time.observation"]
}

output "file" "malware" {
  file = "output/malware.jsonl"
}

output "file" "events" {
  file = "output/events.jsonl"
}

pipeline "main" {
  feeds   = [feed.feodotracker, feed.blocklistde_imap, feed.dataplane_sshpwauth, feed.sample_csv]
  experts = [expert.taxonomy, expert.dedup]

  route {
    name = "malware"
    when = "classification.taxonomy == 'malicious-code'"
    to   = [output.malware]
  }
  route {
    to = [output.events]
  }
}
