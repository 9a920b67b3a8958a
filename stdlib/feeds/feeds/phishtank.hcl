# SPDX-License-Identifier: AGPL-3.0-or-later

feed "phishtank_online" {
  provider      = "PhishTank"
  name          = "Online"
  documentation = "https://www.phishtank.com/developer_info.php"
  description   = "PhishTank is a collaborative clearing house for data and information about phishing on the Internet. Updated hourly as per the documentation. Download is possible without API key, but limited to few downloads per day. Not public: access needs an account or a subscription."
  parser        = parser.phishtank
  collect "http" {
    url      = "https://data.phishtank.com/data/{{ api_key }}/online-valid.json.gz"
    interval = "1h"
  }
}
