# SPDX-License-Identifier: AGPL-3.0-or-later

# Have I Been Pwned enterprise callbacks: one JSON object per report about a
# breach or a paste of a domain's accounts; one event per affected address.
parser "hibp_callback" {
  intelmq_module = "intelmq.bots.parsers.hibp.parser_callback"
  json {
    single = true
    keys   = ["Domain", "DomainEmails", "Email", "Breach", "Paste"]
  }
  set = {
    "classification.taxonomy" = "information-content-security"
    "classification.type"     = "data-leak"
  }
  map = {
    "raw"                       = "line"
    "source.fqdn"               = "Domain"
    "extra.domain_emails"       = "DomainEmails"
    "extra.breach"              = "Breach"
    "extra.paste"               = "Paste"
    "classification.identifier" = "Paste != nil ? 'paste' : (Breach != nil ? 'breach' : nil)"
    # A real callback has one breach (an object); a test callback a list.
    "time.source" = "type(Breach) == 'map' ? Breach.AddedDate : nil"
  }
  each {
    list = "sort(uniq(filter(concat([Email], DomainEmails ?? []), # not in [nil, ''])))"
    map  = { "source.account" = "item" }
  }
}
