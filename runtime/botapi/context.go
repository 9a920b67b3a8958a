// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Clock is the time source of the runtime and of every bot. The runtime
// never reads the system clock itself: the command line injects the real
// clock, tests inject a manual one.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first, and
	// returns ctx.Err() in the second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Feed describes the feed a collector collects for (IntelMQ's feed.*
// fields); a collector copies it into every Report, usually through
// Context.NewReport.
type Feed struct {
	// Name is feed.name.
	Name string
	// Provider is feed.provider.
	Provider string
	// Accuracy is feed.accuracy, 0 to 100.
	Accuracy float64
	// Code is feed.code, empty when not set.
	Code string
	// Documentation is feed.documentation, empty when not set.
	Documentation string
	// URL is feed.url, empty when not set; a collector that knows the URL it
	// fetched sets it itself.
	URL string
	// Parser says how the feed's parser reads a report, for a collector
	// that cuts a large file into several reports; nil when unknown (a
	// collector run without its feed's parser, a test).
	Parser *ParserHint
}

// ParserHint is what a collector may know of its feed's parser: whether a
// report may be cut into pieces at line ends, each read on its own, and
// which lines every piece must repeat.
type ParserHint struct {
	// Whole is true when the parser needs each report whole: it reads one
	// document (JSON, an HTML table), it is a Go parser bot, or its
	// expressions read the report's whole text (text, comments, line_end)
	// or reject whole reports.
	Whole bool
	// HeaderRows is how many lines after the report's leading comment and
	// blank lines the parser reads as a header (skipped lines and a CSV
	// header row); every piece of a cut report must repeat them.
	HeaderRows int
}

// Context is what the runtime gives a bot at construction: its identity,
// logger, clock, schema and the services it may use. A Context is
// read-only after construction and shared by the bot's goroutines.
type Context struct {
	// ID is the bot's id (IntelMQ's bot id, e.g. "deduplicator-expert").
	ID string
	// Logger writes the bot's log lines in IntelMQ's format
	// ("<time> - <bot id> - <LEVEL> - <message>"). Messages are full
	// sentences: start uppercase, end with a period.
	Logger *slog.Logger
	// Clock is the time source; bots MUST use it instead of time.Now.
	Clock Clock
	// Schema is the harmonization schema messages are checked against.
	Schema *harmonization.Schema
	// Feed is the feed of a collector; nil for other bots.
	Feed *Feed
	// BrokerURL is the URL of the pipeline's queue broker, e.g.
	// "redis://127.0.0.1:6379/2", "unix:///run/redis.sock?db=2",
	// "embedded:///var/lib/intelmq/queue" or "memory:".
	BrokerURL string
	// RedisURL is the Redis a bot may use for a cache (the deduplicator),
	// in go-redis's ParseURL form; empty when the pipeline has no Redis.
	// The bot chooses its own database number (IntelMQ's convention:
	// deduplicator 6, new bots 10 and above).
	RedisURL string
	// BaseDir is the directory of the configuration file that declared the
	// bot (empty when unknown). Relative paths in a bot's parameters are
	// relative to it, so a pipeline runs the same from any working
	// directory: resolve them with Path.
	BaseDir string
	// StateDir is a directory the bot may keep files in (a local cache when
	// there is no Redis, a collector's state); it exists and belongs to
	// this bot alone.
	StateDir string
	// Testing is true under the bot test harness (IntelMQ's "testing"
	// flag): bots shorten waits and keep caches small.
	Testing bool
}

// Path resolves a path given in a parameter: an absolute path, or any path
// when BaseDir is empty, is returned as it is; a relative one is joined to
// BaseDir.
func (c *Context) Path(p string) string {
	if p == "" || filepath.IsAbs(p) || c.BaseDir == "" {
		return p
	}
	return filepath.Join(c.BaseDir, p)
}
