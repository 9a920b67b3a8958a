# SPDX-License-Identifier: AGPL-3.0-or-later

parser "raw" {
  csv {
    columns = ["ip", "text", "score"]
  }
  map = {
    "source.ip" = "ip"
    "raw"       = "line"
  }
  overwrite = {
    "feed.accuracy"         = "toFloat(score)"
    "source.ip"             = "ip" # ERROR: Field set twice
    "source.fqdn|source.ip" = "ip" # ERROR: Alternatives in overwrite
    "feed.name"             = "score == '1'" # ERROR: Incompatible expression type
  }
  raw    = "len(header)" # ERROR: Incompatible expression type
  spread = "row" # ERROR: Incompatible expression type
  each {
    list = "[1]"
    raw  = "headr + line" # ERROR: Unknown column
  }
  reject {
    when = "ip == ''" # ERROR: Unknown variable
  }
  reject {
    when    = "len(text)" # ERROR: Unknown variable
    message = "bad"
  }
  reject {
    when = "len(newline)" # ERROR: Condition is not boolean
  }
}

parser "raw_twice" {
  lines {}
  map = {
    "source.ip" = "value"
    "raw"       = "value"
  }
  raw = "header + line" # ERROR: Field set twice
}
