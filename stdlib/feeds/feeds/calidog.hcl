# SPDX-License-Identifier: AGPL-3.0-or-later

feed "calidog_certstream" {
  provider      = "Calidog"
  name          = "CertStream"
  documentation = "https://medium.com/cali-dog-security/introducing-certstream-3fc13bb98067"
  description   = "HTTP Websocket Stream from certstream.calidog.io providing data from Certificate Transparency Logs. Be aware that this feed provides a lot of data and may overload your system quickly. Give max_reports or max_duration to take a sample with intelmq run --once."
  parser        = parser.calidog_certstream
  collect "certstream" {
    url = "wss://certstream.calidog.io/"
  }
}
