# SPDX-License-Identifier: AGPL-3.0-or-later

expert "taxonomi" "a" {} # ERROR: Unknown bot

output "file" "b" { # ERROR: Missing required parameter
  frmat = "json" # ERROR: Unknown parameter
}

feed "f" {
  provider = "Example"
  parser   = parser.p
  collect "http" {
    url      = "https://example.com/"
    interval = "soon" # ERROR: Incorrect parameter type
    headers  = ["a"] # ERROR: Incorrect parameter type
  }
}

# A duration is a time span, never negative, unless its parameter is an
# offset that allows it (url_time_offset: yesterday's file).
feed "g" {
  provider = "Example"
  parser   = parser.p
  collect "http" {
    url             = "https://example.com/"
    interval        = "-1h" # ERROR: Negative duration
    url_time_offset = "-24h"
  }
}

feed "h" {
  provider = "Example"
  parser   = parser.p
  collect "http" {
    url             = "https://example.com/"
    interval        = -60 # ERROR: Negative duration
    url_time_offset = -86400
  }
}

bot "expert.taxonomy" "c" {}

parser "p" {
  json {}
  map = {
    "source.ip" = "ip"
  }
}

pipeline "main" {
  feeds   = [feed.f]
  experts = [bot.c, expert.a]
  route {
    to = [bot.c] # ERROR: Wrong bot kind
  }
}
