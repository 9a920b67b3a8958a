# SPDX-License-Identifier: AGPL-3.0-or-later

feed "surbl_malicious_domains" {
  provider    = "Surbl"
  name        = "Malicious Domains"
  description = "Detected malicious domains. Note that you have to opened up Sponsored Datafeed Service (SDS) access to the SURBL data via rsync for your IP address. Not public: access needs an account or a subscription. Collector: none in Go yet; IntelMQ's rsync collector (intelmq.bots.collectors.rsync.collector_rsync) with rsync_path \"blacksync.prolocation.net::surbl-wild/\" and file \"wild.surbl.org.rbldnsd\" sends the reports to this feed's parser."
  parser      = parser.surbl
}
