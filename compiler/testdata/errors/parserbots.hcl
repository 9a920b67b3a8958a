# SPDX-License-Identifier: AGPL-3.0-or-later

# A feed's parser may be a Go parser bot declared in a bot block.
bot "parser.example" "good" {
  feed           = "phishing"
  default_fields = { "classification.type" = "phishing" }
}

bot "parser.example" "bad" {
  fed                            = "phishing" # ERROR: Unknown parameter
  copy_collector_provided_fields = "extra.file_name" # ERROR: Incorrect parameter type
}

bot "parser.exampel" "misspelt" {} # ERROR: Unknown bot

bot "expert.taxonomy" "tax" {}

feed "uses_bot" {
  provider = "Example"
  parser   = bot.good
}

feed "uses_expert" {
  provider = "Example"
  parser   = bot.tax # ERROR: Wrong bot kind
}

feed "uses_nothing" {
  provider = "Example"
  parser   = bot.nothing # ERROR: Unknown bot
}

feed "uses_output" {
  provider = "Example"
  parser   = output.out # ERROR: Invalid reference
}

pipeline "p" {
  feeds   = [feed.uses_bot]
  experts = [bot.good] # ERROR: Wrong bot kind
  route {
    to = [output.out]
  }
}

output "file" "out" {
  file = "out.jsonl"
}
