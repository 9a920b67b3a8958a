# SPDX-License-Identifier: AGPL-3.0-or-later

feed "surbl_malicious_domains" {
  provider    = "Surbl"
  name        = "Malicious Domains"
  description = "Detected malicious domains. Note that you have to opened up Sponsored Datafeed Service (SDS) access to the SURBL data via rsync for your IP address. Not public: access needs an account or a subscription."
  parser      = parser.surbl
  collect "rsync" {
    rsync_path = "blacksync.prolocation.net::surbl-wild/"
    file       = "wild.surbl.org.rbldnsd"
    interval   = "1000s"
  }
}
