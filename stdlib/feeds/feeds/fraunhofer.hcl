# SPDX-License-Identifier: AGPL-3.0-or-later

feed "fraunhofer_dga_archive" {
  provider      = "Fraunhofer"
  name          = "DGA Archive"
  documentation = "https://dgarchive.caad.fkie.fraunhofer.de/welcome/"
  description   = "Fraunhofer DGA collector fetches data from Fraunhofer's domain generation archive. Not public: access needs an account or a subscription."
  parser        = parser.fraunhofer_dga
  collect "http" {
    url      = "https://dgarchive.caad.fkie.fraunhofer.de/today"
    interval = "3h"
    username = "{{ username }}"
    password = "{{ password }}"
  }
}
