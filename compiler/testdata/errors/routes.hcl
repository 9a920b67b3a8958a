# SPDX-License-Identifier: AGPL-3.0-or-later

output "file" "out" {
  file = "/tmp/x"
}

output "file" "unused" {
  file = "/tmp/y"
}

expert "taxonomy" "tax" {}

pipeline "a" {
  experts = [expert.tax]
  route {
    when = "source.port" # ERROR: Condition is not boolean
    to   = [output.out]
  }
  route {
    when = "sourc.ip == '1.2.3.4'" # ERROR: Unknown field
    to   = [pipeline.b]
  }
  route {
    name = "x"
    to   = [output.out]
  }
  route { # WARNING: Unreachable route
    name = "x" # ERROR: Duplicate route name
    to   = [output.out]
    drop = true # ERROR: Conflicting route actions
  }
}

pipeline "b" {
  route {
    to = [pipeline.a] # ERROR: Routing cycle
  }
}
