# SPDX-License-Identifier: AGPL-3.0-or-later

# abuse.ch Feodo Tracker: a JSON list of botnet C2 servers.
# Ports intelmq.bots.parsers.abusech.parser_feodotracker.
parser "feodotracker" {
  intelmq_module = "intelmq.bots.parsers.abusech.parser_feodotracker"
  json {
    keys = ["ip_address", "port", "status", "hostname", "as_number", "as_name", "country", "first_seen", "last_online", "malware"]
  }
  set = {
    "classification.type" = "c2-server"
  }
  map = {
    "source.ip"   = "ip_address"
    "source.port" = "port"
  }
  # IntelMQ adds these with raise_failure=False: a bad value is dropped.
  optional = {
    "time.source"           = "first_seen != nil ? parseTime(first_seen, '%Y-%m-%d %H:%M:%S') : (last_online != nil ? parseTime(last_online, '%Y-%m-%d') : nil)"
    "source.asn"            = "as_number"
    "source.as_name"        = "as_name"
    "source.geolocation.cc" = "country"
    "source.reverse_dns"    = "hostname"
    "malware.name"          = "malware"
    "extra.last_online"     = "last_online"
    "status"                = "status"
  }
}

# Blocklist.de: one IP address per line; the list's file name in feed.url
# says what the addresses did. Ports intelmq.bots.parsers.blocklistde.parser.
parser "blocklistde" {
  intelmq_module = "intelmq.bots.parsers.blocklistde.parser"
  lines {
    column = "ip"
  }
  let = {
    lists = {
      "all.txt"             = { type = "blacklist" }
      "ssh.txt"             = { type = "ids-alert", application = "ssh", text = "IP reported as having run attacks on the service SSH" }
      "mail.txt"            = { type = "ids-alert", application = "smtp", text = "IP reported as having run attacks on the service Mail, Postfix" }
      "apache.txt"          = { type = "ids-alert", application = "http", text = "IP reported as having run attacks on the service Apache, Apache-DDoS, RFI-Attacks" }
      "imap.txt"            = { type = "ids-alert", application = "imap", text = "IP reported as having run attacks on the service IMAP, SASL, POP3" }
      "ftp.txt"             = { type = "ids-alert", application = "ftp", text = "IP reported as having run attacks on the service FTP" }
      "sip.txt"             = { type = "ids-alert", application = "sip", text = "IP reported as having run attacks on the service SIP, VOIP, Asterisk" }
      "bots.txt"            = { type = "spam", text = "IP reported as having spammed on IRC, open forums, wikis or registration forms." }
      "strongips.txt"       = { type = "blacklist", text = "IP reported as having run attacks in last 2 months" }
      "ircbot.txt"          = { type = "infected-system", application = "irc" }
      "bruteforcelogin.txt" = { type = "brute-force", text = "IP reported as having run attacks on Joomlas, Wordpress and other Web-Logins with Brute-Force Logins" }
    }
  }
  map = {
    "source.ip"              = "ip"
    "classification.type"    = "lookup(lists, regexExtract(report['feed.url'], '[^/]*$'), {type: 'blacklist'}).type"
    "protocol.application"   = "lookup(lists, regexExtract(report['feed.url'], '[^/]*$'), {}).application"
    "event_description.text" = "lookup(lists, regexExtract(report['feed.url'], '[^/]*$'), {}).text"
  }
}

# DataPlane.org: "ASN  |  AS name  |  IP  |  last seen  |  category" lines,
# comments start with #. Ports intelmq.bots.parsers.dataplane.parser.
parser "dataplane" {
  intelmq_module = "intelmq.bots.parsers.dataplane.parser"
  lines {
    regex   = "^(?P<asn>.*?)  \\|  (?P<as_name>.*?)  \\|  (?P<ip>.*?)  \\|  (?P<seen>.*?)  \\|  (?P<category>.*)$"
    comment = ["#"]
  }
  let = {
    categories = {
      sshclient = {
        type        = "scanner"
        application = "ssh"
        text        = "Address has been seen initiating an SSH connection to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SSH server cataloging or conducting authentication attack attempts."
      }
      sshpwauth = {
        type        = "brute-force"
        application = "ssh"
        text        = "Address has been seen attempting to remotely login to a host using SSH password authentication. The source report lists hosts that are highly suspicious and are likely conducting malicious SSH password authentication attacks."
      }
      telnetlogin = {
        type        = "brute-force"
        application = "telnet"
        text        = "Address has been seen initiating a telnet connection to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be telnet server cataloging or conducting authentication attack attempts."
      }
    }
  }
  map = {
    "source.asn"             = "trim(asn) != 'NA' ? trim(asn) : nil"
    "source.as_name"         = "trim(as_name) != 'NA' ? regexExtract(trim(as_name), '\\\\S+') : nil"
    "source.ip"              = "trim(ip)"
    "time.source"            = "replace(trim(seen), ' ', 'T') + '+00:00'"
    "classification.type"    = "categories[trim(category)].type"
    "protocol.application"   = "categories[trim(category)].application"
    "event_description.text" = "categories[trim(category)].text"
  }
}

# A tab-separated list ported verbatim from an IntelMQ generic CSV parser
# configuration (intelmq.bots.parsers.generic.parser_csv).
parser "sample_csv" {
  intelmq_module = "intelmq.bots.parsers.generic.parser_csv"
  csv {
    delimiter = "\t"
    comment   = ["#"]
  }
  fields               = ["time.source", "__IGNORE__", "event_description.text", "__IGNORE__", "__IGNORE__", "source.url", "source.ip", "source.fqdn", "__IGNORE__"]
  type                 = "malware-distribution"
  default_url_protocol = "http://"
}

parser "report_text" {
  csv {
    skip_lines = 1
    comment    = ["#"]
    columns    = ["ip", "confidence"]
  }
  let = {
    feeds = ["https://example.com/list.csv"]
  }
  reject {
    when    = "report['feed.url'] not in feeds"
    message = "Unknown feed"
  }
  set = { "classification.type" = "blacklist" }
  map = {
    "source.ip"   = "ip"
    "time.source" = "regexExtract(comments, 'updated (.*)', 1)"
  }
  overwrite = {
    "feed.accuracy" = "(report['feed.accuracy'] ?? 100) * toInt(confidence) / 100"
  }
  raw = "header + csvLine(row, ',', newline)"
}

parser "report_json" {
  json {}
  spread = "renameKeys(record, {'feed.name': 'extra.original_feed_name'})"
  each {
    list = "[1, 2]"
    raw  = "'[' + pyJSONText(line) + ']' + line_end"
  }
  raw = "text"
}

parser "html_rows" {
  html_table {
    attribute_name  = "class"
    attribute_value = "ExploitTable"
    skip_head       = true
    columns         = ["seen", "url"]
  }
  fields          = ["time.source", "source.url|source.fqdn", "__IGNORE__"]
  ignore_values   = ["", "n/a", ""]
  split_column    = "source.url"
  split_separator = " "
  split_index     = 1
  time_format     = "fuzzy"
  type            = "malware-distribution"
  skip            = "seen == '' && url == ''"
}
