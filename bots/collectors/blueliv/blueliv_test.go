// SPDX-License-Identifier: AGPL-3.0-or-later

package blueliv

import (
	"encoding/base64"
	"encoding/json"
	nethttp "net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// fakeBlueliv serves /v1/crimeserver/online to the bearer token "k3y".
type fakeBlueliv struct {
	srv  *httptest.Server
	mu   sync.Mutex
	body string
	auth []string
}

func newFake(t *testing.T, body string) *fakeBlueliv {
	f := &fakeBlueliv{body: body}
	f.srv = httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.auth = append(f.auth, r.Header.Get("Authorization"))
		switch {
		case r.URL.Path != onlinePath || r.Method != nethttp.MethodGet:
			w.WriteHeader(nethttp.StatusNotFound)
		case r.Header.Get("Authorization") != "bearer k3y":
			w.WriteHeader(nethttp.StatusUnauthorized)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(f.body))
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBlueliv) run(t *testing.T, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	p := bottest.Params(Spec())
	p["api_key"], p["api_url"], p["retries"] = "k3y", f.srv.URL+"/", int64(0)
	for k, v := range extra {
		p[k] = v
	}
	c.Kind, c.New, c.Params = botapi.KindCollector, New, p
	c.Feed = &botapi.Feed{Name: "CrimeServer", Provider: "Blueliv", Accuracy: 100}
	return bottest.Run(t, c)
}

const servers = `[{"url":"http://example.com/gate.php","type":"C_AND_C","country":"US","ip":"192.0.2.1","firstSeenAt":"2016-01-01T00:00:00+0000","lastSeenAt":"2016-01-02T00:00:00+0000","confidence":7}]`

// rawOf decodes the raw of a report into a generic value.
func rawOf(t *testing.T, res *bottest.Result) any {
	t.Helper()
	var v any
	raw, err := base64.StdEncoding.DecodeString(res.Messages("")[0].GetString("raw"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("raw %q is not JSON: %v", raw, err)
	}
	return v
}

// TestCollect: the list of an array answer and of an object answer is
// sent as one Report, authenticated with the bearer token.
func TestCollect(t *testing.T) {
	var want any
	if err := json.Unmarshal([]byte(servers), &want); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"array":  servers,
		"object": `{"meta":{"total":1},"crimeServers":` + servers + `}`,
		"other":  `{"meta":{"total":1},"items":` + servers + `}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, body)
			res := f.run(t, nil, bottest.Case{})
			res.AssertOutputLen(t, "", 1)
			res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "CrimeServer", "feed.provider": "Blueliv",
				"feed.accuracy": 100.0, "feed.url": f.srv.URL + onlinePath}, false, "")
			if got, _ := json.Marshal(rawOf(t, res)); string(got) != mustMarshal(t, want) {
				t.Errorf("raw = %s, want %s", got, mustMarshal(t, want))
			}
			res.AssertLogMatches(t, `^Sent a report of 1 crime servers\.$`, "INFO")
		})
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEmptyAndErrors: an empty list sends nothing; a wrong key and a
// malformed answer fail the collection, saying why.
func TestEmptyAndErrors(t *testing.T) {
	res := newFake(t, `{"crimeServers": []}`).run(t, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `lists no crime servers`, "INFO")

	res = newFake(t, servers).run(t, map[string]any{"api_key": "wrong"}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `refused .*/v1/crimeserver/online \(HTTP 401\): bad api_key`, "")

	res = newFake(t, `{"a": [], "b": []}`).run(t, nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `no "crimeServers" array`, "")

	res = newFake(t, `<html>`).run(t, nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `neither a JSON array nor a JSON object`, "")
}

func TestValidate(t *testing.T) {
	for name, p := range map[string]botapi.MapParams{
		"no key":  {"api_key": " ", "api_url": defaultAPIURL},
		"bad url": {"api_key": "k", "api_url": "freeapi.blueliv.com"},
	} {
		b, err := New(&botapi.Context{}, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, p)
		}
	}
}
