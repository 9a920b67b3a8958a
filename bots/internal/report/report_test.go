// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

func TestNew(t *testing.T) {
	clk := clock.NewManual(time.Date(2024, 5, 6, 7, 8, 9, 987654321, time.FixedZone("CEST", 7200)))
	tests := []struct {
		name string
		feed *botapi.Feed
		want string
	}{
		{"full feed", &botapi.Feed{Name: "Feodo", Provider: "abuse.ch", Accuracy: 90, Code: "feodo",
			Documentation: "https://feodotracker.abuse.ch/", URL: "https://feodotracker.abuse.ch/x.csv"},
			`{"time.observation": "2024-05-06T05:08:09+00:00", "feed.name": "Feodo", "feed.provider": "abuse.ch", ` +
				`"feed.code": "feodo", "feed.documentation": "https://feodotracker.abuse.ch/", ` +
				`"feed.url": "https://feodotracker.abuse.ch/x.csv", "feed.accuracy": 90.0, "__type": "Report"}`},
		{"zero accuracy left out", &botapi.Feed{Name: "F"},
			`{"time.observation": "2024-05-06T05:08:09+00:00", "feed.name": "F", "__type": "Report"}`},
		{"no feed", nil,
			`{"time.observation": "2024-05-06T05:08:09+00:00", "feed.accuracy": 100.0, "__type": "Report"}`},
	}
	for _, tt := range tests {
		r, err := New(&botapi.Context{Clock: clk, Feed: tt.feed})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := r.String(); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
