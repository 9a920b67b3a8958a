# SPDX-License-Identifier: AGPL-3.0-or-later

# AnubisNetworks Cyberfeed: one sinkhole connection per report, as a JSON
# object in one of two formats: the old one (trojanfamily, env,
# _geo_env_remote_addr) and the new one (malw, src, dst, comm, tracking and
# _geo_* blocks). A blank report (the stream's keep-alive) gives nothing, so
# the report is read as lines and its first line stands for the document,
# which the each block decodes. The raw is the report.
parser "anubisnetworks" {
  intelmq_module = "intelmq.bots.parsers.anubisnetworks.parser"
  lines {}
  when = "line_number == len(split(regexExtract(text, '^\\\\s*'), '\\n'))"
  let = {
    # The _geo_* blocks and their namespaces; a name the namespace has no
    # field for goes to extra.<namespace>.<name>.
    geo_blocks = { _geo_src_ip = "source", _geo_tracking_last_ip = "tracking.last", _geo_comm_http_host = "communication.http.host" }
    geo_names  = { netmask = "network", country_code = "geolocation.cc", country_name = "geolocation.country", asn = "asn", asn_name = "as_name" }
    geo_fields = ["source.network", "source.geolocation.cc", "source.geolocation.country", "source.geolocation.region",
    "source.geolocation.city", "source.geolocation.latitude", "source.geolocation.longitude", "source.asn", "source.as_name"]
  }
  set = {
    "classification.type"     = "infected-system"
    "classification.taxonomy" = "malicious-code"
    "event_description.text"  = "Sinkhole attempted connection"
  }
  overwrite = {
    "feed.url" = "splitPart(report['feed.url'], '?key=', 0)"
  }
  # The _geo_* blocks (one _geo_comm_http_x_forwarded_for_#N per forwarded
  # address) and metadata.
  spread = <<-EOT
    let doc = jsonGet(text, '');
    fromPairs(concat(reduce(map(filter(toPairs(doc), #[0] in geo_blocks || #[0] startsWith '_geo_comm_http_x_forwarded_for_'),
      let ns = geo_blocks[#[0]] ?? ('communication.http.' + replace(#[0], '#', '')[15:]); let g = #[1];
      map(filter(toPairs(g), #[0] not in ['ip', 'path']),
        let f = ns + '.' + (geo_names[#[0]] ?? ('geolocation.' + #[0]));
        [f in geo_fields ? f : 'extra.' + f, #[0] == 'netmask' ? g.ip + '/' + toString(#[1]) : #[1]])), concat(#acc, #), []),
      map(toPairs(doc.metadata ?? {}), ['extra.metadata.' + #[0], #[1]])))
  EOT
  raw    = "text"
  each {
    list = "[jsonGet(text, '')]"
    # IntelMQ's internal test events.
    skip = "lower(item.malw?.variant ?? item.trojanfamily ?? '') == 'testsinkholingloss'"
    map = {
      "time.source"      = "item._ts == nil ? nil : fromEpoch(toInt(item._ts))"
      "malware.name"     = "item.malw?.variant ?? item.trojanfamily"
      "source.ip"        = "item.env?.remote_addr ?? item.src?.ip"
      "source.port"      = "item.env?.remote_port ?? item.src?.port"
      "destination.ip"   = "item.env?.server_addr ?? item.dst?.ip"
      "destination.port" = "item.env?.server_port ?? item.dst?.port"
      # IntelMQ's default use_malware_familiy_as_classification_identifier.
      "classification.identifier" = "item.malw?.family"
      "extra.malware.severity"    = "item.malw?.severity"
      "extra.malware.categories"  = "item.malw?.categories ?? item.comm?.categories"
      "extra.request_method"      = "item.env?.request_method ?? item.malw?.request_method ?? item.comm?.request_method ?? item.comm?.http?.method"
      "extra.cookies"             = "item.env?.cookies ?? item.malw?.cookies ?? item.comm?.cookies"
      "extra.path_info"           = "item.env?.path_info ?? item.malw?.path_info ?? item.comm?.path_info"
      "extra.http_referer"        = "item.env?.http_referer ?? item.malw?.http_referer ?? item.comm?.http_referer"
      "extra.dns_query_type"      = "item.qtype ?? item.comm?.dns?.qtype"
      "protocol.application"      = "item.comm?.proto ?? item.app_proto"
      "extra.communication.type"  = "item.comm?.method"
      # An HTTP host that is no domain name and not the destination address.
      "extra.communication.http_host"         = "let h = item.comm?.http?.host; h != nil && !isFQDN(h) && h != item.dst?.ip ? h : nil"
      "destination.urlpath"                   = "item.comm?.http?.path"
      "destination.url"                       = "let c = item.comm; c?.proto != nil && c?.http?.host != nil && c?.http?.path != nil ? c.proto + '://' + c.http.host + c.http.path : nil"
      "extra.user_agent"                      = "item.comm?.http?.user_agent"
      "extra.communication.headers"           = "item.comm?.http?.more_headers"
      "extra.communication.cookies"           = "item.comm?.http?.cookies"
      "extra.communication.unverified_domain" = "item.comm?.http?.unverified_domain"
      "extra.communication.x_forwarded_for"   = "item.comm?.http?.x_forwarded_for"
      "extra.tracking.id"                     = "item.tracking?.id"
      "extra.tracking.last.ip"                = "item.tracking?.last_ip"
      "extra.first_seen"                      = "item.tracking?.first"
      "extra.last_seen"                       = "item.tracking?.seen"
      "extra.days_seen"                       = "item.tracking?.days"
      "extra.tracking.changes"                = "item.tracking?.changes"
      "extra.tracking.checkins"               = "item.tracking?.checkins"
      "extra.tracking.same_ip"                = "item.tracking?.same_ip"
      "extra.tracking.tr"                     = "item.tracking?.tr"
      "extra._origin"                         = "item._origin"
      "extra._provider"                       = "item._provider"
      "extra.pattern_verified"                = "item.pattern_verified"
      # The old format's location of the source.
      "source.network"               = "let g = item._geo_env_remote_addr; g?.ip != nil && g?.netmask != nil ? g.ip + '/' + toString(g.netmask) : nil"
      "source.geolocation.cc"        = "item._geo_env_remote_addr?.country_code"
      "source.geolocation.country"   = "item._geo_env_remote_addr?.country_name"
      "source.geolocation.region"    = "item._geo_env_remote_addr?.region"
      "source.geolocation.city"      = "item._geo_env_remote_addr?.city"
      "source.geolocation.latitude"  = "item._geo_env_remote_addr?.latitude"
      "source.geolocation.longitude" = "item._geo_env_remote_addr?.longitude"
      "source.asn"                   = "item._geo_env_remote_addr?.asn"
      "source.as_name"               = "item._geo_env_remote_addr?.asn_name"
    }
    # A server name or HTTP host that is no domain name is left out.
    optional = {
      "destination.fqdn" = "item.comm?.dns?.name ?? item.comm?.http?.host ?? item.env?.server_name"
    }
  }
}
