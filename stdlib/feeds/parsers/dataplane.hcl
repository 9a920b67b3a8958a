# SPDX-License-Identifier: AGPL-3.0-or-later

# DataPlane.org: "ASN  |  AS name  |  IP  |  last seen  |  category" lines
# (proto41 has a first-seen column before last seen); "#" comments. The
# category in the last column selects type, application and description.
parser "dataplane" {
  intelmq_module = "intelmq.bots.parsers.dataplane.parser"
  lines {
    regex   = "^(?P<asn>.*?)  \\|  (?P<as_name>.*?)  \\|  (?P<ip>.*?)  \\|  (?P<seen>.*?)  \\|  (?:(?P<last_seen>.*?)  \\|  )?(?P<category>[^|]*)$"
    comment = ["#"]
  }
  let = {
    scan = "The source report lists hosts that are suspicious of more than just port scanning."
    categories = {
      dnsrd           = ["scanner", "dns", "Address has been seen performing a DNS recursion desired query to a remote host. %s The host may be DNS server cataloging or searching for hosts to use for DNS-based DDoS amplification."]
      dnsrdany        = ["scanner", "dns", "Address has been seen performing a DNS recursion desired IN ANY query to a remote host. %s The host may be DNS server cataloging or searching for hosts to use for DNS-based DDoS amplification."]
      dnsversion      = ["scanner", "dns", "Address has been seen initiating a DNS CH TXT version.bind operation to a remote host. %s The host may be DNS server cataloging or searching for vulnerable DNS servers."]
      proto41         = ["proxy", "6to4", "Address has been detected to offer open IPv6 over IPv4 tunneling. This could allow for the host to be used a public proxy against IPv6 hosts."]
      sipquery        = ["brute-force", "sip", "Address has been seen initiating a SIP OPTIONS query to a remote host. %s The host may be SIP server cataloging or conducting various forms of telephony abuse."]
      sipinvitation   = ["brute-force", "sip", "Address has been seen initiating a SIP INVITE operation to a remote host. %s The host may be SIP client cataloging or conducting various forms of telephony abuse."]
      sipregistration = ["brute-force", "sip", "Address has been seen initiating a SIP REGISTER operation to a remote host. %s The host may be SIP client cataloging or conducting various forms of telephony abuse."]
      smtpdata        = ["scanner", "smtp", "Address has been seen initiating a SMTP DATA operation to a remote host. %s The host may be SMTP server cataloging or conducting various forms of email abuse."]
      smtpgreet       = ["scanner", "smtp", "Address has been seen initiating a SMTP HELO/EHLO operation to a remote host. %s The host may be SMTP server cataloging or conducting various forms of email abuse."]
      sshclient       = ["scanner", "ssh", "Address has been seen initiating an SSH connection to a remote host. %s The host may be SSH server cataloging or conducting authentication attack attempts."]
      sshpwauth       = ["brute-force", "ssh", "Address has been seen attempting to remotely login to a host using SSH password authentication. The source report lists hosts that are highly suspicious and are likely conducting malicious SSH password authentication attacks."]
      telnetlogin     = ["brute-force", "telnet", "Address has been seen initiating a telnet connection to a remote host. %s The host may be telnet server cataloging or conducting authentication attack attempts."]
      vncrfb          = ["scanner", "vnc", "Address has been seen initiating a VNC remote buffer session to a remote host. %s The host may be VNC/RFB server cataloging or conducting authentication attack attempts."]
    }
  }
  map = {
    "classification.type"    = "categories[trim(category)][0]"
    "protocol.application"   = "categories[trim(category)][1]"
    "event_description.text" = "replace(categories[trim(category)][2], '%s', scan)"
    "source.asn"             = "trim(asn) != 'NA' ? trim(asn) : nil"
    "source.as_name"         = "trim(as_name) != 'NA' ? split(trim(as_name), ' ')[0] : nil"
    "source.ip"              = "trim(ip)"
    "extra.first_seen"       = "last_seen != '' ? replace(trim(seen), ' ', 'T') + '+00:00' : nil"
    "time.source"            = "replace(trim(coalesce(last_seen, seen)), ' ', 'T') + '+00:00'"
  }
}
