# SPDX-License-Identifier: AGPL-3.0-or-later

feed "certpl_n6_stomp" {
  provider      = "CERT.PL"
  name          = "N6 Stomp Stream"
  documentation = "https://n6.readthedocs.io/usage/streamapi/"
  description   = "N6 Collector - CERT.pl's *n6* Stream API feed (via STOMP interface). Note that 'rate_limit' does not apply to this bot, as it is waiting for messages on a stream. Contact CERT.pl to get access to the feed. Note that the configuration parameter values suggested here are suitable for the new *n6* Stream API variant (with authentication based on 'username' and 'password'); for this variant, typically you can leave the 'ssl_ca_certificate' parameter's value empty - then the system's default CA certificates will be used; however, if that does not work, you need to set 'ssl_ca_certificate' to the path to a file containing CA certificates eligible to verify \"*.cert.pl\" server certificates (to be found among the publicly available CA certs distributed with modern web browsers/OSes). Also, note that the 'server' parameter's value (for the *new API variant*) suggested here, \"n6stream-new.cert.pl\", is a temporary domain; ultimately, it will be changed back to \"stream.cert.pl\". When it comes to the *old API variant* (turned off in November 2023!), you need to have the 'server' parameter set to the name \"n6stream.cert.pl\", 'auth_by_ssl_client_certificate' set to true, 'ssl_ca_certificate' set to the path to a file containing the *n6*'s legacy self-signed CA certificate (which is stored in file \"intelmq/bots/collectors/stomp/ca.pem\"), and the parameters 'ssl_client_certificate' and 'ssl_client_certificate_key' set to the paths to your-*n6*-client-specific certificate and key files (note that the 'username' and 'password' parameters are then irrelevant and can be omitted). Not public: access needs an account or a subscription."
  parser        = parser.n6_n6stomp
  collect "stomp" {
    server   = "n6stream-new.cert.pl"
    port     = 61614
    exchange = "{{ exchange }}"
    username = "{{ username }}"
    password = "{{ password }}"
  }
}
