# SPDX-License-Identifier: AGPL-3.0-or-later

# Shodan stream: one banner (a JSON object) per report, one event. The
# banner's keys IntelMQ knows are mapped, most of them to extra fields named
# after their path; the raw is the report.
parser "shodan" {
  intelmq_module = "intelmq.bots.parsers.shodan.parser"
  json {
    single = true
  }
  let = {
    # The objects of a banner, by path ("" is the banner), and their keys
    # that are mapped. A key goes to extra.<path>.<key> in lower case
    # (without "opts."), unless `renamed` names its field. ssl.cert.issuer
    # and subject leave out O, which IntelMQ writes over C.
    mapped = {
      ""                                         = ["hash", "hostnames", "org", "data", "port", "transport", "isp", "platform", "product", "device", "devicetype", "info", "mac", "version", "vulns", "asn", "timestamp", "domains", "ip_str", "os", "tags"]
      "ftp"                                      = ["features", "anonymous"]
      "http"                                     = ["title", "html", "location", "components", "server", "host", "waf"]
      "isakmp"                                   = ["initiator_spi", "responder_spi", "msg_id", "next_payload", "exchange_type", "length", "version"]
      "isakmp.flags"                             = ["encryption", "authentication", "commit"]
      "location"                                 = ["city", "region_code", "postal_code", "longitude", "country_code", "latitude", "area_code", "dma_code"]
      "opts"                                     = ["heartbleed", "ip", "raw", "text"]
      "opts.amqp"                                = ["mechanisms"]
      "opts.amqp.server_properties.capabilities" = ["basic.nack", "consumer_cancel_notify", "exchange_exchange_bindings", "publisher_confirms", "copyright", "information", "platform", "product", "version"]
      "opts.dhcp"                                = ["broadcast", "chaddr", "ciaddr", "file", "giaddr", "siaddr", "sname", "yiaddr"]
      "opts.ldap" = ["configurationNamingContext", "defaultNamingContext", "dnsHostName", "dsServiceName", "errorMessage", "ldapServiceName", "namingContexts", "resultCode", "rootDomainNamingContext",
      "schemaNamingContext", "serverName", "subschemaSubentry", "supportedCapabilities", "supportedControl", "supportedExtension", "supportedLDAPPolicies", "supportedLDAPVersion", "supportedSASLMechanisms"]
      "telnet"                             = ["do", "dont", "will", "wont"]
      "afp"                                = ["machine_type", "network_addresses", "uams", "utf8_server_name"]
      "checkpoint"                         = ["firewall_host", "smartcenter_host"]
      "coap"                               = ["resources"]
      "dns"                                = ["recursive", "resolver_hostname", "resolver_id", "software"]
      "elastic.cluster"                    = ["cluster_name", "status"]
      "etcd"                               = ["api", "clientURLs", "name", "peerURLs", "state", "version"]
      "ethernetip"                         = ["device_type", "ip", "product_name", "revision_major", "revision_minor", "serial", "vendor_id", "version"]
      "hp_ilo"                             = ["ilo_firmware", "ilo_serial_number", "ilo_type", "server_type"]
      "influxdb"                           = ["bind_address", "build", "databases", "go_arch", "go_os", "version"]
      "knx.device"                         = ["friendly_name", "knx_address", "mac", "multicast_address", "serial"]
      "knx.supported_services"             = ["core", "device_management", "routing", "tunneling"]
      "lantronix"                          = ["gateway", "ip", "mac", "type", "version"]
      "mongodb"                            = ["authentication"]
      "mongodb.buildInfo"                  = ["debug", "gitVersion", "version"]
      "mongodb.buildInfo.buildEnvironment" = ["target_arch", "target_os"]
      "mongodb.buildInfo.openssl"          = ["compiled", "running"]
      "mssql"                              = ["dns_computer_name", "dns_domain_name", "dns_forest_name", "netbios_computer_name", "netbios_domain_name", "os_version", "target_realm"]
      "netbios"                            = ["mac", "networks", "server_name"]
      "ntp"                                = ["digest", "host", "processor", "stratum", "system", "version"]
      "redis.keys"                         = ["data"]
      "redis.replication"                  = ["master_host", "role"]
      "redis.server"                       = ["os", "redis_mode", "redis_version", "tcp_port"]
      "rsync"                              = ["modules"]
      "smb"                                = ["anonymous", "capabilities", "os", "smb_version", "software"]
      "snmp"                               = ["contact", "description", "location", "name", "objectid", "ordescr"]
      "ssh"                                = ["cipher", "fingerprint", "mac", "type"]
      "ssl.cert"                           = ["expired", "serial", "version"]
      "ssl.cert.issuer"                    = ["C", "OU", "CN"]
      "ssl.cert.subject"                   = ["C", "OU", "CN"]
      "ssl.cert.pubkey"                    = ["bits", "type"]
      "ssl.cipher"                         = ["bits", "name", "version"]
      "ssl.dhparams"                       = ["bits", "fingerprint", "generator", "prime", "public_key"]
      "ubiquiti"                           = ["hostname", "ip", "ip_alt", "mac", "mac_alt", "product", "version"]
      "unitronics_pcom"                    = ["hardware_version", "model", "os_build", "os_version", "plc_name", "plc_unique_id", "uid_master"]
      "upnp"                               = ["device_type", "friendly_name", "manufacturer", "model_description", "model_name", "model_number", "serial_number", "udn", "upc"]
      "vmware"                             = ["api_type", "api_version", "build", "full_name", "name", "os_type", "product_line_id", "vendor", "version"]
    }
    renamed = {
      "hash"                                                                = "extra.shodan.event_hash"
      "hostnames"                                                           = "source.reverse_dns"
      "org"                                                                 = "event_description.target"
      "port"                                                                = "source.port"
      "transport"                                                           = "protocol.transport"
      "asn"                                                                 = "source.asn"
      "timestamp"                                                           = "time.source"
      "domains"                                                             = "source.fqdn"
      "ip_str"                                                              = "source.ip"
      "os"                                                                  = "extra.os_name"
      "http.title"                                                          = "extra.http.html.title"
      "http.html"                                                           = "extra.http.html.data"
      "isakmp.flags.encryption"                                             = "extra.isakmp.encryption"
      "isakmp.flags.authentication"                                         = "extra.isakmp.authentication"
      "isakmp.flags.commit"                                                 = "extra.isakmp.commit"
      "location.city"                                                       = "source.geolocation.city"
      "location.longitude"                                                  = "source.geolocation.longitude"
      "location.latitude"                                                   = "source.geolocation.latitude"
      "location.country_code"                                               = "source.geolocation.cc"
      "location.region_code"                                                = "extra.region_code"
      "location.postal_code"                                                = "extra.postal_code"
      "location.area_code"                                                  = "extra.area_code"
      "location.dma_code"                                                   = "extra.dma_code"
      "opts.amqp.mechanisms"                                                = "extra.amqp.mechanism"
      "opts.amqp.server_properties.capabilities.basic.nack"                 = "extra.amqp.capabilities.nack"
      "opts.amqp.server_properties.capabilities.consumer_cancel_notify"     = "extra.amqp.capabilities.consumer_cancel_notify"
      "opts.amqp.server_properties.capabilities.exchange_exchange_bindings" = "extra.amqp.capabilities.exchange_exchange_bindings"
      "opts.amqp.server_properties.capabilities.publisher_confirms"         = "extra.amqp.capabilities.publisher_confirms"
      "opts.amqp.server_properties.capabilities.copyright"                  = "extra.amqp.copyright"
      "opts.amqp.server_properties.capabilities.information"                = "extra.amqp.information"
      "opts.amqp.server_properties.capabilities.platform"                   = "extra.amqp.platform"
      "opts.amqp.server_properties.capabilities.product"                    = "extra.amqp.product"
      "opts.amqp.server_properties.capabilities.version"                    = "extra.amqp.version"
      "afp.utf8_server_name"                                                = "extra.afp.server_name"
      "mongodb.buildInfo.buildEnvironment.target_arch"                      = "extra.mongodb.target_arch"
      "mongodb.buildInfo.buildEnvironment.target_os"                        = "extra.mongodb.target_os"
      "mongodb.buildInfo.openssl.compiled"                                  = "extra.mongodb.openssl.compiled"
      "mongodb.buildInfo.openssl.running"                                   = "extra.mongodb.openssl.running"
      "mongodb.buildInfo.debug"                                             = "extra.mongodb.debug"
      "mongodb.buildInfo.gitVersion"                                        = "extra.mongodb.gitversion"
      "mongodb.buildInfo.version"                                           = "extra.mongodb.version"
      "redis.server.redis_mode"                                             = "extra.redis.mode"
      "redis.server.redis_version"                                          = "extra.redis.version"
    }
    # Conversions: objects of objects become lists of objects with an
    # "identifier", objects become the list of their keys (both in the
    # order of the report), single values lists; the first domain name.
    converted = {
      "ftp.features"                   = "objects"
      "vulns"                          = "objects"
      "coap.resources"                 = "keys"
      "http.components"                = "keys"
      "mac"                            = "keys"
      "rsync.modules"                  = "keys"
      "opts.ldap.supportedControl"     = "list"
      "opts.ldap.supportedLDAPVersion" = "list"
      "ssl.cert.serial"                = "string"
      "ssl.dhparams.generator"         = "string"
      "hostnames"                      = "fqdn"
      "domains"                        = "fqdn"
      "timestamp"                      = "time"
    }
    common    = ["_id", "_shodan", "asn", "data", "device", "devicetype", "domains", "hash", "hostnames", "html", "ip", "ip_str", "isp", "location", "opts", "org", "os", "port", "tags", "timestamp", "transport"]
    protocols = ["ftp", "http", "isakmp", "afp", "bgp", "coap", "dns", "ethernetip", "hp_ilo", "iscsi", "knx", "lantronix", "minecraft", "mqtt", "msrpc", "netbios", "ntp", "redis", "rip", "rsync", "smb", "snmp", "ssh", "telnet", "unitronics_pcom", "upnp"]
  }
  set = {
    "classification.type"       = "other"
    "classification.identifier" = "shodan-scan"
  }
  spread = <<-EOT
    fromPairs(map(reduce(map(toPairs(mapped), let p = #[0]; map(#[1], p == '' ? [#] : concat(split(p, '.'), [#]))), concat(#acc, #), []),
      let path = join(#, '.');
      let v = reduce(#, type(#acc) == 'map' ? #acc[#] : nil, record);
      let kind = converted[path] ?? '';
      let ordered = type(v) == 'map' ? sortBy(keys(v), indexOf(text, toJSON(#) + ':')) : nil;
      [renamed[path] ?? ('extra.' + lower(trimPrefix(path, 'opts.'))),
       v == nil ? nil :
       kind == 'objects' ? (ordered != nil && all(values(v), type(#) == 'map') ? map(ordered, fromPairs(concat(toPairs(v[#]), [['identifier', #]]))) : nil) :
       kind == 'keys' ? ordered :
       kind == 'list' ? (type(v) == 'array' ? v : [v]) :
       kind == 'string' ? toString(v) :
       kind == 'fqdn' ? first(filter(v, isFQDN(#))) :
       kind == 'time' ? v + '+00' : v]))
  EOT
  map = {
    "extra.shodan.unique_keys" = "sort(filter(keys(record), # not in common))"
    # IntelMQ takes any of several protocols; this is the first by name.
    "protocol.application" = "first(filter(sort(keys(record)), # in protocols && # not in common))"
    "extra.verified_vulns" = "type(record.vulns) == 'map' && all(values(record.vulns), type(#) == 'map') ? map(filter(sortBy(keys(record.vulns), indexOf(text, toJSON(#) + ':')), record.vulns[#].verified == true), #) : nil"
  }
  raw = "text"
}

# The same with IntelMQ's minimal_mode: a few fields, and the banner in
# extra.shodan.
parser "shodan_minimal_mode" {
  intelmq_module = "intelmq.bots.parsers.shodan.parser"
  json {
    single = true
    keys   = ["ip_str", "asn", "port", "transport", "org", "data", "title", "tags", "location", "timestamp"]
  }
  set = {
    "classification.type"       = "other"
    "classification.identifier" = "network-scan"
  }
  # IntelMQ adds a value only when Python counts it as true.
  map = {
    "source.ip"                = "ip_str"
    "source.asn"               = "asn"
    "source.port"              = "port == 0 ? nil : port"
    "protocol.transport"       = "transport"
    "event_description.target" = "org"
    "extra.data"               = "data"
    "extra.html_title"         = "title"
    "extra.tags"               = "len(tags ?? []) == 0 ? nil : tags"
    "source.geolocation.cc"    = "location?.country_code"
    "time.source"              = "timestamp + '+00'"
    "extra.shodan"             = "record"
  }
  raw = "text"
}
