# SPDX-License-Identifier: AGPL-3.0-or-later

# Turris greylist: CSV "Address,Tags" with a header row; one event per tag
# that says what the address did (HaaS tags come with CZ.NIC's own feed).
parser "turris" {
  intelmq_module = "intelmq.bots.parsers.turris.parser"
  csv {
    header  = true
    comment = ["#"]
  }
  let = {
    ports = { ftp = 21, telnet = 23, http = 80 }
  }
  map = { "source.ip" = "record.Address" }
  each {
    list = "split(record.Tags, ',')"
    skip = "item not in ['smtp', 'http', 'ftp', 'telnet', 'port_scan']"
    map = {
      "classification.type"  = "item == 'port_scan' ? 'scanner' : 'brute-force'"
      "protocol.transport"   = "item == 'port_scan' ? nil : 'tcp'"
      "protocol.application" = "item == 'port_scan' ? nil : item"
      # smtp uses 25 and 587, so its port is not known.
      "destination.port" = "ports[item]"
    }
  }
  # IntelMQ's recover_line_csv_dict: the header row and the row, stripped.
  raw = "trim(header + csvLine(row, ',', newline))"
}
