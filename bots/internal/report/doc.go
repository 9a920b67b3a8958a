// SPDX-License-Identifier: AGPL-3.0-or-later

// Package report builds the Reports of the collector bots the way IntelMQ's
// CollectorBot does: time.observation is the current time to the second and
// the feed.* fields come from the feed the collector serves.
//
// It imports runtime/botapi and the stdlib packages only.
package report
