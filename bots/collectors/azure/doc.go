// SPDX-License-Identifier: AGPL-3.0-or-later

// Package azure is IntelMQ's Microsoft Azure collector
// (intelmq.bots.collectors.microsoft.collector_azure), which fetches the
// files Microsoft shares through an Azure Storage account, such as the
// CTIP feeds of the Government Security Program (containers
// "ctip-infected-summary" and "ctip-c2").
//
// Each collection lists the blobs of container_name with the official SDK
// (azblob: List Blobs, then Get Blob for each blob not sent yet, with the
// account and credentials of connection_string) and sends each new blob as
// a Report: a gzip-compressed blob is decompressed, as IntelMQ does for
// every blob; feed.url is the blob's URL without its query (a shared
// access signature never reaches a report) and extra.file_name is the
// blob's name.
//
// Parameters: connection_string and container_name as in IntelMQ;
// interval is IntelMQ's rate_limit (1h); cache_ttl replaces the Redis
// cache (redis_cache_host, _port, _db, _password, _ttl) with a file in the
// bot's state directory (bots/internal/seenfiles) and keeps IntelMQ's TTL
// of 10 days; timeout, retries, proxy and max_size set the HTTP transport
// (IntelMQ reads only https_proxy).
//
// Beyond IntelMQ:
//   - the blobs sent are remembered with their ETag: a blob replaced under
//     the same name is sent again, and a blob is downloaded only in the
//     version listed (If-Match);
//   - a name is forgotten only after cache_ttl and once the blob is no
//     longer listed, so a blob kept longer than cache_ttl is not sent twice;
//   - a blob that is not gzip-compressed is sent as it is (IntelMQ fails),
//     a gzip-compressed tar archive gives one Report per member, named in
//     extra.file_name;
//   - a blob that cannot be downloaded or decompressed is logged, the
//     other blobs are sent, and the collection then fails so that it is
//     retried; a name is remembered only after its Reports were emitted;
//   - errors name the HTTP status and the service's error code, never a
//     request URL (which may hold a signature).
//
// It imports the Azure SDK (azblob, azcore), bots/collectors/http (the TLS
// settings and decompression), bots/internal/seenfiles, runtime/botapi,
// the stdlib packages and the standard library.
package azure
