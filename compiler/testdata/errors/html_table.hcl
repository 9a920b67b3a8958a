# SPDX-License-Identifier: AGPL-3.0-or-later
parser "html_bad_filter" {
  html_table {
    table_index    = -1 # ERROR: Incorrect attribute value type
    attribute_name = "class" # ERROR: Incomplete table filter
  }
  fields          = ["source.ip", "source.url"]
  ignore_values   = [""] # ERROR: Mismatched ignore_values
  split_column    = "source.fqdn" # ERROR: Unknown split column
  split_separator = " "
}

parser "html_no_separator" {
  html_table {
    attribute_value = "x" # ERROR: Incomplete table filter
  }
  fields       = ["source.url"]
  split_column = "source.url" # ERROR: Missing split separator
}

parser "html_no_fields" {
  html_table {}
  ignore_values = ["x"] # ERROR: Option needs fields
  split_index   = 1 # ERROR: Option needs fields
}

parser "json_fields" {
  json {}
  fields = ["source.ip"] # ERROR: Fields need a csv input
}
