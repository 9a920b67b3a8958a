# SPDX-License-Identifier: AGPL-3.0-or-later

feed "mcafee_atd_sandbox_reports" {
  provider       = "McAfee Advanced Threat Defense"
  name           = "Sandbox Reports"
  documentation  = "https://www.mcafee.com/enterprise/en-us/products/advanced-threat-defense.html"
  description    = "Processes reports from McAfee's sandboxing solution via the openDXL API. Not public: access needs an account or a subscription."
  intelmq_module = "intelmq.bots.parsers.mcafee.parser_atd"
  parser         = parser.mcafee_atd
  collect "opendxl" {
    dxl_config_file = "{{ dxl_config_file }}"
    dxl_topic       = "/mcafee/event/atd/file/report"
  }
  intelmq_parameters = {
    verdict_severity = 4
  }
}
