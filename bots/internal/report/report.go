// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"fmt"
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/datetime"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// DefaultAccuracy is feed.accuracy when the collector has no feed, as in
// IntelMQ.
const DefaultAccuracy = 100

// New returns a Report with time.observation set from the bot's clock
// (truncated to the second, as IntelMQ does) and the feed's fields:
// feed.name, feed.provider, feed.code, feed.documentation and feed.url when
// set, and feed.accuracy unless it is 0. The collector adds raw and
// whatever else it knows (feed.url of the fetched document, extra.*).
func New(bc *botapi.Context) (*message.Message, error) {
	r := message.NewReport(bc.Schema)
	now := bc.Clock.Now().UTC().Truncate(time.Second)
	if err := r.AddString("time.observation", datetime.Format(now)); err != nil {
		return nil, fmt.Errorf("time.observation: %w", err)
	}
	feed := bc.Feed
	if feed == nil {
		feed = &botapi.Feed{Accuracy: DefaultAccuracy}
	}
	for _, f := range [...]struct{ key, value string }{
		{"feed.name", feed.Name},
		{"feed.provider", feed.Provider},
		{"feed.code", feed.Code},
		{"feed.documentation", feed.Documentation},
		{"feed.url", feed.URL},
	} {
		if f.value == "" {
			continue
		}
		if err := r.AddString(f.key, f.value); err != nil {
			return nil, fmt.Errorf("%s: %w", f.key, err)
		}
	}
	if feed.Accuracy != 0 {
		if err := r.Add("feed.accuracy", harmonization.Float(feed.Accuracy)); err != nil {
			return nil, fmt.Errorf("feed.accuracy: %w", err)
		}
	}
	return r, nil
}

// OfFile returns the Report of a file a collector fetched: New's fields,
// raw, feed.url set to url (it replaces the feed's) unless url is empty,
// and extra.file_name unless name is empty. A value the harmonization
// refuses is a permanent error: fetching again would not change it.
func OfFile(bc *botapi.Context, data []byte, url, name string) (*message.Message, error) {
	r, err := New(bc)
	if err != nil {
		return nil, err
	}
	if err := message.SetRawText(r, data); err != nil {
		return nil, botapi.Permanent(err)
	}
	if url != "" {
		if err := r.Set("feed.url", harmonization.String(url)); err != nil {
			return nil, botapi.Permanent(fmt.Errorf("feed.url: %w", err))
		}
	}
	if name != "" {
		if err := r.AddString("extra.file_name", name); err != nil {
			return nil, botapi.Permanent(fmt.Errorf("extra.file_name: %w", err))
		}
	}
	return r, nil
}
