# SPDX-License-Identifier: AGPL-3.0-or-later

# Spamhaus CERT portal: "ip, asn, country, lastseen, botname, domain,
# remote_ip, remote_port, local_port, protocol" lines, ";" comments. The bot
# name selects the classification; unknown names are malware names.
parser "spamhaus_cert" {
  intelmq_module = "intelmq.bots.parsers.spamhaus.parser_cert"
  csv {
    comment = [";"]
    columns = ["ip", "asn", "cc", "lastseen", "bot", "domain", "remote_ip", "remote_port", "local_port", "protocol"]
  }
  let = {
    # bot name: [classification.type, classification.identifier, protocol.application, event_description.text]
    bots = {
      openrelay        = ["vulnerable-system", "openrelay", "smtp", ""]
      sshauth          = ["brute-force", "ssh", "ssh", ""]
      telnetauth       = ["brute-force", "telnet", "telnet", ""]
      smtpauth         = ["brute-force", "smtp", "smtp", ""]
      iotscan          = ["scanner", "scanner-generic", "", "The possibly infected IoT device scanned for other vulnerable IoT devices."]
      iotuser          = ["scanner", "scanner-generic", "", "The possibly infected IoT device scanned for other vulnerable IoT devices."]
      wpscanner        = ["scanner", "wordpress-vulnerabilities", "http", "scanning for wordpress vulnerabilities"]
      w_wplogin        = ["scanner", "wordpress-login", "http", "scanning for wordpress login pages"]
      l_spamlink       = ["spam", "spamlink", "", "The URL appeared in a spam email sent by extra.spam_ip."]
      pop              = ["brute-force", "pop", "pop", ""]
      imap             = ["brute-force", "imap", "imap", ""]
      smb              = ["scanner", "smb", "smb", ""]
      rdp              = ["scanner", "rdp", "rdp", ""]
      iotrdp           = ["scanner", "rdp", "rdp", ""]
      iotmicrosoftds   = ["scanner", "microsoftds", "microsoftds", ""]
      proxyget         = ["other", "proxyget", "", "The malicious client used a honeypot as proxy."]
      iotlogin         = ["system-compromise", "iot", "", "The infected iot device logged in to a honeypot."]
      iotcmd           = ["system-compromise", "iot", "", "The infected iot device logged in to a honeypot and issued malicious commands."]
      iotmirai         = ["infected-system", "mirai", "", ""]
      ioturl           = ["c2-server", "malware-generic", "", ""]
      automatedtest    = ["brute-force", "lookup-captcha", "", "The device automatically brute-forced the Spamhaus CBL lookup."]
      authspoofbadehlo = ["brute-force", "authentication-spoof", "smtp", "The device spoofed SMTP authentication with a bad EHLO."]
      extortion        = ["spam", "extortion", "", "This device sent extortion mails."]
      misc             = ["spam", "spam", "", "This device is sending spam as part of a botnet. See abuseat.org for more details."]
    }
  }
  map = {
    "source.ip"                 = "trim(ip)"
    "source.asn"                = "trim(asn) != 'AS?' ? replace(trim(asn), 'AS', '') : nil"
    "source.geolocation.cc"     = "trim(cc)"
    "time.source"               = "fromEpoch(int(trim(lastseen)))"
    "classification.type"       = "bots[lower(trim(bot))]?.[0] ?? 'infected-system'"
    "classification.identifier" = "let b = lower(trim(bot)); b in ['iotscan', 'iotuser'] && trim(remote_port) in ['23', '2323'] ? 'telnet' : (b == 'iotmirai' ? 'mirai' : bots[b]?.[1])"
    "protocol.application"      = "let b = lower(trim(bot)); b in ['iotscan', 'iotuser'] && trim(remote_port) in ['23', '2323'] || b in ['extortion', 'misc'] && trim(remote_port) == '25' ? (b in ['iotscan', 'iotuser'] ? 'telnet' : 'smtp') : bots[b]?.[2]"
    "event_description.text"    = "bots[lower(trim(bot))]?.[3]"
    "event_description.url"     = "lower(trim(bot)) == 'misc' ? 'https://www.abuseat.org/lookup.cgi' : nil"
    "feed.documentation"        = "lower(trim(bot)) == 'misc' && report['feed.documentation'] == nil ? 'https://www.abuseat.org/lookup.cgi' : nil"
    "malware.name"              = "let b = lower(trim(bot)); b == 'l_spamlink' ? splitPart(trim(local_port), ':', 2) : (b == 'iotmirai' ? 'mirai' : (b in bots ? nil : (b == 'auto' ? 's_other' : b)))"
    "malware.version"           = "lower(trim(bot)) == 'l_spamlink' ? splitPart(trim(local_port), ':', 1) : nil"
    "extra.spam_ip"             = "lower(trim(bot)) == 'l_spamlink' ? splitPart(trim(local_port), ':', 0) : nil"
    "extra.source.local_port"   = "trim(local_port) not in ['', '-', '?'] && lower(trim(bot)) != 'l_spamlink' ? int(trim(local_port)) : nil"
  }
  optional = {
    "source.url"         = "let b = lower(trim(bot)); b == 'l_spamlink' ? trim(remote_ip) : (b in bots ? nil : trim(domain))"
    "destination.fqdn"   = "lower(trim(bot)) != 'iotscan' && !(domain contains ':') ? trim(domain) : nil"
    "destination.ip"     = "trim(remote_ip)"
    "destination.port"   = "trim(remote_port)"
    "protocol.transport" = "trim(protocol)"
  }
  # IntelMQ cuts the API key off feed.url ("...&key=<APIKEY>" becomes "...&").
  overwrite = {
    "feed.url" = "split(report['feed.url'], 'key=')[0]"
  }
  # IntelMQ's raw: the comment header and the line.
  raw = "(comments == '' ? '' : comments + '\\n') + line"
}
