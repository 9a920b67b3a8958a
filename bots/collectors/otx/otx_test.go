// SPDX-License-Identifier: AGPL-3.0-or-later

package otx

import (
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// fakeOTX serves /api/v1/pulses/subscribed in pages of two pulses, with
// absolute "next" links as OTX gives them.
type fakeOTX struct {
	srv     *httptest.Server
	mu      sync.Mutex
	pulses  int
	queries []string
	next    string // overrides the next link of the first page
}

func newFakeOTX(t *testing.T, pulses int) *fakeOTX {
	f := &fakeOTX{pulses: pulses}
	f.srv = httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.Header.Get("X-OTX-API-KEY") != "otx-key" {
			w.WriteHeader(nethttp.StatusForbidden)
			return
		}
		if r.URL.Path != "/api/v1/pulses/subscribed" {
			w.WriteHeader(nethttp.StatusNotFound)
			return
		}
		f.queries = append(f.queries, r.URL.RawQuery)
		pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if pageNo == 0 {
			pageNo = 1
		}
		var results []map[string]any
		for i := (pageNo - 1) * 2; i < f.pulses && i < pageNo*2; i++ {
			results = append(results, map[string]any{"id": fmt.Sprintf("p%d", i), "name": fmt.Sprintf("Pulse %d", i), "indicators": []any{}})
		}
		var next any
		if pageNo*2 < f.pulses {
			next = fmt.Sprintf("%s/api/v1/pulses/subscribed?limit=2&page=%d", f.srv.URL, pageNo+1)
			if pageNo == 1 && f.next != "" {
				next = f.next
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"count": f.pulses, "results": results, "next": next})
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOTX) run(t *testing.T, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	p := bottest.Params(Spec())
	p["api_key"] = "otx-key"
	p["api_url"] = f.srv.URL
	p["retries"] = int64(0)
	for k, v := range extra {
		p[k] = v
	}
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = p
	c.Feed = &botapi.Feed{Name: "OTX", Provider: "AlienVault", Accuracy: 100}
	return bottest.Run(t, c)
}

// TestAllPulses reads every page and sends one report with the list.
func TestAllPulses(t *testing.T) {
	f := newFakeOTX(t, 5)
	res := f.run(t, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	raw, err := res.Messages("")[0].RawText()
	if err != nil {
		t.Fatal(err)
	}
	var pulses []map[string]any
	if err := json.Unmarshal([]byte(raw), &pulses); err != nil {
		t.Fatalf("raw is not a JSON list: %v\n%s", err, raw)
	}
	if len(pulses) != 5 || pulses[0]["id"] != "p0" || pulses[4]["id"] != "p4" {
		t.Errorf("pulses %v", pulses)
	}
	if len(f.queries) != 3 || f.queries[0] != "limit=50" {
		t.Errorf("queries %v, want three pages starting with limit=50", f.queries)
	}
	res.AssertLogMatches(t, `^Fetching all pulses\.$`, "INFO")
}

// TestModifiedOnly asks for the pulses modified within the window.
func TestModifiedOnly(t *testing.T) {
	f := newFakeOTX(t, 1)
	res := f.run(t, map[string]any{"modified_pulses_only": true}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	// The harness clock is at 2016-01-01T00:00:00Z.
	if want := "limit=9999&modified_since=2015-12-31T00%3A00%3A00.000000"; len(f.queries) != 1 || f.queries[0] != want {
		t.Errorf("queries %v, want %s", f.queries, want)
	}
}

// TestNoPulses sends an empty list, as IntelMQ does.
func TestNoPulses(t *testing.T) {
	f := newFakeOTX(t, 0)
	res := f.run(t, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	if raw, _ := res.Messages("")[0].RawText(); raw != "[]" {
		t.Errorf("raw %q, want []", raw)
	}
}

// TestErrors: a wrong key, and a next link to another host, fail the
// collection and send nothing.
func TestErrors(t *testing.T) {
	f := newFakeOTX(t, 3)
	res := f.run(t, map[string]any{"api_key": "wrong"}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `OTX refused the API key \(HTTP 403\)`, "")
	f.next = "https://elsewhere.example/api/v1/pulses/subscribed?page=2"
	res = f.run(t, nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `not following it with the API key`, "")
	f.next = ""
	res = f.run(t, map[string]any{"max_pages": int64(1)}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `more than max_pages \(1\) pages; nothing sent`, "")
}
