# SPDX-License-Identifier: AGPL-3.0-or-later

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
