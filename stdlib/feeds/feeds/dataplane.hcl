# SPDX-License-Identifier: AGPL-3.0-or-later

feed "dataplane_sshclient" {
  provider      = "Dataplane"
  name          = "SSH Client Connection"
  documentation = "https://dataplane.org/"
  description   = "Entries below consist of fields with identifying characteristics of a source IP address that has been seen initiating an SSH connection to a remote host. This report lists hosts that are suspicious of more than just port scanning. The hosts may be SSH server cataloging or conducting authentication attack attempts. Report is updated hourly."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/sshclient.txt"
    interval = "1h"
  }
}

feed "dataplane_sshpwauth" {
  provider      = "Dataplane"
  name          = "SSH Password Authentication"
  documentation = "https://dataplane.org/"
  description   = "Entries below consist of fields with identifying characteristics of a source IP address that has been seen attempting to remotely login to a host using SSH password authentication. The report lists hosts that are highly suspicious and are likely conducting malicious SSH password authentication attacks. Report is updated hourly."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/sshpwauth.txt"
    interval = "1h"
  }
}

feed "dataplane_sipquery" {
  provider      = "Dataplane"
  name          = "SIP Query"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a source IP address that has been seen initiating a SIP OPTIONS query to a remote host. This report lists hosts that are suspicious of more than just port scanning. The hosts may be SIP server cataloging or conducting various forms of telephony abuse. Report is updated hourly."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/sipquery.txt"
    interval = "1h"
  }
}

feed "dataplane_sipregistration" {
  provider      = "Dataplane"
  name          = "SIP Registration"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a source IP address that has been seen initiating a SIP REGISTER operation to a remote host. This report lists hosts that are suspicious of more than just port scanning. The hosts may be SIP client cataloging or conducting various forms of telephony abuse. Report is updated hourly."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/sipregistration.txt"
    interval = "1h"
  }
}

feed "dataplane_dnsrd" {
  provider      = "Dataplane"
  name          = "DNS Recursion Desired"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a source IP address that has been seen performing a DNS recursion desired query to a remote host. This report lists hosts that are suspicious of more than just port scanning. The host may be DNS server cataloging or searching for hosts to use for DNS-based DDoS amplification."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/dnsrd.txt"
    interval = "1h"
  }
}

feed "dataplane_dnsrdany" {
  provider      = "Dataplane"
  name          = "DNS Recursion Desired ANY"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a source IP address that has been seen performing a DNS recursion desired IN ANY query to a remote host. This report lists hosts that are suspicious of more than just port scanning. The host may be DNS server cataloging or searching for hosts to use for DNS-based DDoS amplification."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/dnsrdany.txt"
    interval = "1h"
  }
}

feed "dataplane_dnsversion" {
  provider      = "Dataplane"
  name          = "DNS Version"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a source IP address that has been seen performing a DNS CH TXT version.bind query to a remote host. This report lists hosts that are suspicious of more than just port scanning. The host may be DNS server cataloging or searching for vulnerable DNS servers."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/dnsversion.txt"
    interval = "1h"
  }
}

feed "dataplane_proto41" {
  provider      = "Dataplane"
  name          = "Protocol 41"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a host that has been detected to offer open IPv6 over IPv4 tunneling. This could allow for the host to be used a public proxy against IPv6 hosts."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/proto41.txt"
    interval = "1h"
  }
}

feed "dataplane_smtpgreet" {
  provider      = "Dataplane"
  name          = "SMTP Greet"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a host that has been seen initiating a SMTP HELO/EHLO operation to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SMTP server cataloging or conducting various forms of email abuse."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/smtpgreet.txt"
    interval = "1h"
  }
}

feed "dataplane_smtpdata" {
  provider      = "Dataplane"
  name          = "SMTP Data"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a host that has been seen initiating a SMTP DATA operation to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SMTP server cataloging or conducting various forms of email abuse."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/smtpdata.txt"
    interval = "1h"
  }
}

feed "dataplane_telnetlogin" {
  provider      = "Dataplane"
  name          = "Telnet Login"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a host that has been seen initiating a telnet connection to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be telnet server cataloging or conducting authentication attack attempts."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/telnetlogin.txt"
    interval = "1h"
  }
}

feed "dataplane_vncrfb" {
  provider      = "Dataplane"
  name          = "VNC/RFB Login"
  documentation = "https://dataplane.org/"
  description   = "Entries consist of fields with identifying characteristics of a host that has been seen initiating a VNC remote buffer session to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be VNC/RFB server cataloging or conducting authentication attack attempts."
  parser        = parser.dataplane
  collect "http" {
    url      = "https://dataplane.org/vncrfb.txt"
    interval = "1h"
  }
}
