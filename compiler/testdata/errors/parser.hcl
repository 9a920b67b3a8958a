# SPDX-License-Identifier: AGPL-3.0-or-later

parser "p" {
  csv {
    columns = ["ip", "port", "seen", "kind", "line"] # ERROR: Reserved name
  }
  set = {
    "classification.type" = "scaner" # ERROR: Invalid field value
    "source.ipp"          = "1.2.3.4" # ERROR: Unknown field
    "feed.accuracy"       = 101 # ERROR: Invalid field value
  }
  map = {
    "source.ip"   = "ip"
    "source.port" = "toInt(prot)" # ERROR: Unknown column
    "time.source" = "seen +" # ERROR: Invalid expression syntax
    "source.fqdn" = "port == '1'" # ERROR: Incompatible expression type
    "source.url"  = "lowr(ip)" # ERROR: Unknown function
    "source.asn"  = "1 + 'a'" # ERROR: Invalid expression
  }
  optional = {
    "source.ip" = "ip" # ERROR: Field set twice
  }
  skip = "kind" # ERROR: Condition is not boolean
  each {
    list = "port" # ERROR: List expression is not a list
  }
  default_fields = {
    "classification.taxonomy" = "bad-taxonomy" # ERROR: Invalid field value
  }
  copy_collector_provided_fields = ["extra.file_name", "source.ip"] # ERROR: Unknown report field
}

parser "generic" {
  lines {}
  fields = ["source.ip"] # ERROR: Fields need a csv input
}

parser "generic2" {
  csv {
    delimiter = ";"
  }
  fields              = ["source.ip", "source.url|source.fqdn", "__IGNORE__"]
  fields_required     = [true, false] # ERROR: Mismatched fields_required
  time_format         = "from_format|%Y-%m-%d"
  type_translation    = { "malware" = "malware-distribuion" } # ERROR: Invalid field value
  compose_fields      = { "extra.url" = "http://{0}{x}" } # ERROR: Unsupported format
  column_regex_search = { "source.ip" = "[" } # ERROR: Invalid regex
}

parser "lines" {
  lines {
    regex = "^(\\S+)$" # ERROR: Regex without named groups
  }
}

parser "twoinputs" {
  csv {}
  json {} # ERROR: Conflicting input blocks
}

parser "noinput" { # ERROR: Missing input block
  set = {
    "source.ip" = "1.2.3.4"
  }
}
