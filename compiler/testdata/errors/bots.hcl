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
