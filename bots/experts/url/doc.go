// SPDX-License-Identifier: AGPL-3.0-or-later

// Package url is IntelMQ's url expert (intelmq.bots.experts.url.expert):
// from source.url and destination.url it fills the fqdn or ip, the port
// (the scheme's default port when the URL names none), the urlpath, the
// account and protocol.application and protocol.transport, exactly as
// IntelMQ does, with its overwrite and skip_fields parameters.
//
// The URL is split as Python's urllib.parse.urlparse splits it, not as
// net/url does, so that the expert gives IntelMQ's results on every input.
//
// It imports runtime/botapi and the stdlib packages only.
package url
