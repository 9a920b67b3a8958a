// SPDX-License-Identifier: AGPL-3.0-or-later

// Package interflow is IntelMQ's Microsoft Interflow collector
// (intelmq.bots.collectors.microsoft.collector_interflow), which fetches
// the files Microsoft shares through its Interflow API with the members
// of its Government Security Program, such as the BingMURLs and CTIP
// Infected feeds.
//
// Each collection reads the list of shared files (GET
// <api_url>listsharedfiles, a JSON list of objects with Name and
// LastModified; api_url defaults to
// https://interflow.azure-api.net/file/api/file/), keeps the files whose
// name matches file_match (anchored at the start, as Python's re.match)
// and whose LastModified is not older than not_older_than, and downloads
// each one not sent yet from <api_url>download?fileName=<name>. Every
// request carries api_key in the Ocp-Apim-Subscription-Key header. A file
// is sent as a Report, decompressed when gzip-compressed, with feed.url
// set to its download URL (which holds no credentials) and
// extra.file_name to its name.
//
// not_older_than is read as IntelMQ reads it: a relative time ("2 days",
// "12 hours"; units second to year, a month being 30 days), else an
// absolute date parsed as IntelMQ's dateutil does (stdlib/datetime); a Go
// duration ("48h") is accepted too. The HTTP parameters (timeout, retries,
// verify_cert, ca_file, client_certificate, client_key, proxy, user_agent,
// max_size) are those of the http collector, whose Client does the
// downloads.
//
// cache_ttl replaces the Redis cache of IntelMQ (redis_cache_host, _port,
// _db, _password, _ttl) with a file in the bot's state directory
// (bots/internal/seenfiles), keeping IntelMQ's TTL of 7 days.
//
// Beyond IntelMQ:
//   - a name is forgotten only after cache_ttl and once the file is no
//     longer listed, so no file is sent twice whatever not_older_than and
//     cache_ttl are; IntelMQ refuses a TTL shorter than not_older_than (and
//     fails once an absolute not_older_than lies further back than the
//     TTL), which this makes unnecessary;
//   - the files sent are remembered with their LastModified: a file
//     replaced under the same name is sent again;
//   - the content decides on decompression (IntelMQ looks at a ".gz" name
//     ending), and a gzip-compressed tar archive gives one Report per
//     member, named in extra.file_name;
//   - a file without a readable LastModified is sent with a warning
//     instead of failing the collection;
//   - a file that cannot be downloaded or decompressed is logged, the
//     other files are sent, and the collection then fails so that it is
//     retried; a name is remembered only after its Reports were emitted.
//
// It imports bots/collectors/http (downloads, TLS, decompression),
// bots/internal/seenfiles, runtime/botapi, the stdlib packages and the
// standard library.
package interflow
