# SPDX-License-Identifier: AGPL-3.0-or-later

feed "blocklistde_ircbot" {
  provider      = "Blocklist.de"
  name          = "IRC Bots"
  documentation = "http://www.blocklist.de/en/export.html"
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/ircbot.txt"
    interval = "24h"
  }
}

feed "blocklistde_strongips" {
  provider      = "Blocklist.de"
  name          = "Strong IPs"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE Strong IPs Collector is the bot responsible to get the report from source of information. All IPs which are older then 2 month and have more then 5.000 attacks."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/strongips.txt"
    interval = "24h"
  }
}

feed "blocklistde_mail" {
  provider      = "Blocklist.de"
  name          = "Mail"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE Mail Collector is the bot responsible to get the report from source of information. All IP addresses which have been reported within the last 48 hours as having run attacks on the service Mail, Postfix."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/mail.txt"
    interval = "24h"
  }
}

feed "blocklistde_apache" {
  provider      = "Blocklist.de"
  name          = "Apache"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE Apache Collector is the bot responsible to get the report from source of information. All IP addresses which have been reported within the last 48 hours as having run attacks on the service Apache, Apache-DDOS, RFI-Attacks."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/apache.txt"
    interval = "24h"
  }
}

feed "blocklistde_ftp" {
  provider      = "Blocklist.de"
  name          = "FTP"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE FTP Collector is the bot responsible to get the report from source of information. All IP addresses which have been reported within the last 48 hours for attacks on the Service FTP."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/ftp.txt"
    interval = "24h"
  }
}

feed "blocklistde_ssh" {
  provider      = "Blocklist.de"
  name          = "SSH"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE SSH Collector is the bot responsible to get the report from source of information. All IP addresses which have been reported within the last 48 hours as having run attacks on the service SSH."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/ssh.txt"
    interval = "24h"
  }
}

feed "blocklistde_bruteforcelogin" {
  provider      = "Blocklist.de"
  name          = "Brute-force Logins"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE Brute-force Login Collector is the bot responsible to get the report from source of information. All IPs which attacks Joomlas, Wordpress and other Web-Logins with Brute-Force Logins."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/bruteforcelogin.txt"
    interval = "24h"
  }
}

feed "blocklistde_bots" {
  provider      = "Blocklist.de"
  name          = "Bots"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE Bots Collector is the bot responsible to get the report from source of information. All IP addresses which have been reported within the last 48 hours as having run attacks attacks on the RFI-Attacks, REG-Bots, IRC-Bots or BadBots (BadBots = he has posted a Spam-Comment on a open Forum or Wiki)."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/bots.txt"
    interval = "24h"
  }
}

feed "blocklistde_imap" {
  provider      = "Blocklist.de"
  name          = "IMAP"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE IMAP Collector is the bot responsible to get the report from source of information. All IP addresses which have been reported within the last 48 hours for attacks on the service like IMAP, SASL, POP3, etc."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/imap.txt"
    interval = "24h"
  }
}

feed "blocklistde_sip" {
  provider      = "Blocklist.de"
  name          = "SIP"
  documentation = "http://www.blocklist.de/en/export.html"
  description   = "Blocklist.DE SIP Collector is the bot responsible to get the report from source of information. All IP addresses that tried to login in a SIP-, VOIP- or Asterisk-Server and are included in the IPs-List from http://www.infiltrated.net/ (Twitter)."
  parser        = parser.blocklistde
  collect "http" {
    url      = "https://lists.blocklist.de/lists/sip.txt"
    interval = "24h"
  }
}
