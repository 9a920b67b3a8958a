# SPDX-License-Identifier: AGPL-3.0-or-later

feed "lonely" {
  provider = "Example"
  parser   = parser.p
}

feed "alone" { # WARNING: Feed in no pipeline
  provider = "Example"
  parser   = parser.p
}

parser "p" {
  lines {}
  map = {
    "source.ip" = "value"
  }
}

output "file" "out" {
  file = "/tmp/x"
}

pipeline "empty" { # WARNING: Pipeline without input
  route {
    to = [output.out]
  }
}

pipeline "noroutes" { # WARNING: Events reach no output
  feeds = [feed.lonely]
}

pipeline "partial" {
  feeds = [feed.lonely]
  route { # WARNING: Events reach no output
    when = "source.port == 22 && source.geolocation.cc == 'AT' && extra.anything != nil"
    to   = [output.out]
  }
}

bot "parser.example" "unread" {} # WARNING: Unused bot
