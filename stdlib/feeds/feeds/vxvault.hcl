# SPDX-License-Identifier: AGPL-3.0-or-later

feed "vxvault_urls" {
  provider      = "VXVault"
  name          = "URLs"
  documentation = "http://vxvault.net/ViriList.php"
  description   = "This feed provides IP addresses hosting Malware."
  parser        = parser.vxvault
  collect "http" {
    url      = "http://vxvault.net/URL_List.php"
    interval = "1h"
  }
}
