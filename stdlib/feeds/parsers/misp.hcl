# SPDX-License-Identifier: AGPL-3.0-or-later

# MISP: one event (JSON) per report, as the MISP API collector fetches it;
# one IntelMQ event per attribute (of the event and of its objects) of a
# supported category and type. The ecsirt tag gives the classification.
parser "misp" {
  intelmq_module = "intelmq.bots.parsers.misp.parser"
  json {
    single = true
    keys   = ["id", "uuid", "Tag", "Attribute", "Object"]
  }
  let = {
    taxonomy = {
      "ecsirt:fraud=\"phishing\""                        = "phishing"
      "ecsirt:availability=\"ddos\""                     = "ddos"
      "ecsirt:abusive-content=\"spam\""                  = "spam"
      "ecsirt:information-gathering=\"scanner\""         = "scanner"
      "ecsirt:information-content-security=\"dropzone\"" = "other"
      "ecsirt:malicious-code=\"malware\""                = "infected-system"
      "ecsirt:malicious-code=\"botnet-drone\""           = "infected-system"
      "ecsirt:malicious-code=\"ransomware\""             = "infected-system"
      "ecsirt:malicious-code=\"malware-configuration\""  = "malware-configuration"
      "ecsirt:malicious-code=\"c2server\""               = "c2-server"
      "ecsirt:intrusion-attempts=\"exploit\""            = "exploit"
      "ecsirt:intrusion-attempts=\"brute-force\""        = "brute-force"
      "ecsirt:intrusion-attempts=\"ids-alert\""          = "ids-alert"
      "ecsirt:intrusions=\"defacement\""                 = "unauthorised-information-modification"
      "ecsirt:intrusions=\"compromised\""                = "system-compromise"
      "ecsirt:intrusions=\"backdoor\""                   = "system-compromise"
      "ecsirt:vulnerable=\"vulnerable-service\""         = "vulnerable-system"
      "ecsirt:other=\"blacklist\""                       = "blacklist"
      "ecsirt:other=\"unknown\""                         = "undetermined"
      "ecsirt:test=\"test\""                             = "test"
    }
    categories = ["Payload delivery", "Artifacts dropped", "Payload installation", "Network activity"]
  }
  map = {
    "misp.event_uuid"           = "uuid"
    "event_description.url"     = "regexReplace(report['feed.url'], '[^/]*$', '') + 'events/view/' + id"
    "classification.type"       = "taxonomy[first(filter(map(Tag ?? [], #.name), # in taxonomy)) ?? '']"
    "classification.identifier" = "any(Tag ?? [], #.name == 'dropzone') ? 'dropzone' : nil"
  }
  optional = {
    "malware.name" = "lower(last(filter(concat(Attribute ?? [], flatten(map(Object ?? [], #.Attribute))), #.category == 'Payload type'))?.value ?? '')"
  }
  each {
    list = "filter(concat(Attribute ?? [], flatten(map(Object ?? [], #.Attribute))), #.category in categories && #.type in ['domain', 'hostname', 'md5', 'sha1', 'ip-src', 'ip-dst', 'email-src', 'url'])"
    # IntelMQ's raw: the attribute, json.dumps(attribute, sort_keys=True).
    raw = "pyJSON(item)"
    map = {
      "source.fqdn"            = "item.type in ['domain', 'hostname'] ? item.value : nil"
      "malware.hash.md5"       = "item.type == 'md5' ? item.value : nil"
      "malware.hash.sha1"      = "item.type == 'sha1' ? item.value : nil"
      "source.ip"              = "item.type in ['ip-src', 'ip-dst'] ? item.value : nil"
      "source.account"         = "item.type == 'email-src' ? item.value : nil"
      "source.url"             = "item.type == 'url' ? item.value : nil"
      "misp.attribute_uuid"    = "item.uuid"
      "comment"                = "item.comment"
      "event_description.text" = "item.category"
      "time.source"            = "fromEpoch(item.timestamp)"
    }
  }
}
