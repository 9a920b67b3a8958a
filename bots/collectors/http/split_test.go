// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// TestAutoSplit: a large text download is sent as several reports, each
// starting with the header the feed's parser reads, whose bodies join to
// the download; a parser that needs whole reports gets it in one.
func TestAutoSplit(t *testing.T) {
	header := "# generated list\nip,port\n"
	var body strings.Builder
	for i := range 300 {
		fmt.Fprintf(&body, "192.0.2.%d,%d\n", i%250+1, 1000+i)
	}
	doc := header + body.String()
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, _ *nethttp.Request) {
		_, _ = w.Write([]byte(doc))
	}))
	defer srv.Close()
	params := map[string]any{"url": srv.URL + "/list.csv", "chunk_auto_above": 1000, "chunk_auto_size": 500}

	c, _ := newCollectorHint(t, params, &botapi.ParserHint{HeaderRows: 1})
	got, err := collect(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 5 {
		t.Fatalf("a download of %d bytes gave %d reports, want one per 500 bytes", len(doc), len(got))
	}
	var joined strings.Builder
	for i, r := range got {
		raw, ok := strings.CutPrefix(r["raw"], header)
		if !ok {
			t.Fatalf("report %d does not start with the header: %.60q", i, r["raw"])
		}
		if !strings.HasSuffix(raw, "\n") {
			t.Errorf("report %d does not end at a line end", i)
		}
		if r["feed.url"] != srv.URL+"/list.csv" {
			t.Errorf("report %d: feed.url %q", i, r["feed.url"])
		}
		joined.WriteString(raw)
	}
	if joined.String() != body.String() {
		t.Error("the reports' bodies do not join to the download's body")
	}

	c, _ = newCollectorHint(t, params, &botapi.ParserHint{Whole: true})
	if got, err := collect(t, c); err != nil || len(got) != 1 || got[0]["raw"] != doc {
		t.Errorf("for a parser of whole reports: %d reports, %v; want the download in one", len(got), err)
	}
}
