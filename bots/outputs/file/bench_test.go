// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// BenchmarkProcess writes a typical event per operation, flushing every
// 500 events as the runner does per batch.
func BenchmarkProcess(b *testing.B) {
	p, err := conformance.Params(Spec(), map[string]any{"file": filepath.Join(b.TempDir(), "events.txt")})
	if err != nil {
		b.Fatal(err)
	}
	bot, err := New(&botapi.Context{}, p)
	if err != nil {
		b.Fatal(err)
	}
	o := bot.(*Output)
	ctx := context.Background()
	if err := o.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer o.Close()
	wire := []byte(`{"feed.name": "Feodo Tracker", "feed.provider": "abuse.ch", "feed.accuracy": 100.0, ` +
		`"time.observation": "2024-01-01T00:00:00+00:00", "time.source": "2023-12-31T12:00:00+00:00", ` +
		`"source.ip": "192.0.2.1", "source.port": 443, "classification.type": "c2-server", ` +
		`"classification.taxonomy": "malicious-code", "malware.name": "qakbot", "extra.status": "online", ` +
		`"raw": "MTkyLjAuMi4xLDQ0Mw==", "__type": "Event"}`)
	msg := message.NewEvent(harmonization.Default())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := msg.DecodeInto(wire); err != nil {
			b.Fatal(err)
		}
		if err := o.Process(ctx, msg, nil); err != nil {
			b.Fatal(err)
		}
		if i%500 == 499 {
			if err := o.Flush(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
}
