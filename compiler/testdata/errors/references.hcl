# SPDX-License-Identifier: AGPL-3.0-or-later

feed "f" {
  provider = "Example"
  parser   = parser.nope # ERROR: Unknown parser
}

feed "f" { # ERROR: Duplicate feed
  provider = "Example"
  parser   = parser.p
}

parser "p" {
  lines {}
  map = {
    "source.ip" = "value"
  }
}

pipeline "main" {
  feeds   = [feed.f, feed.g] # ERROR: Unknown feed
  experts = [expert.tax, output.out] # ERROR: Invalid reference
  route {
    to = [output.ot] # ERROR: Unknown output
  }
}

expert "taxonomy" "tax" {}
output "file" "out" {
  file = "/tmp/x"
}
