// SPDX-License-Identifier: AGPL-3.0-or-later

package httpstream

import (
	"context"
	"errors"
	nethttp "net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

func shodanParams(root string, extra map[string]any) botapi.MapParams {
	p := botapi.MapParams{}
	for _, param := range ShodanSpec().Params {
		if param.Default != nil {
			p[param.Name] = param.Default
		}
	}
	p["api_key"] = "shodan-key"
	p["stream_url"] = root
	for k, v := range extra {
		p[k] = v
	}
	return p
}

// fakeShodan answers the streams of the Shodan Streaming API: the key is a
// query parameter, heartbeats are empty lines, each banner a JSON line.
func fakeShodan(w nethttp.ResponseWriter, r *nethttp.Request) {
	if r.URL.Query().Get("key") != "shodan-key" {
		w.WriteHeader(nethttp.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error": "Invalid API key"}`))
		return
	}
	switch r.URL.Path {
	case "/shodan/countries/AT,DE":
		lines("{\"ip_str\": \"192.0.2.1\", \"location\": {\"country_code\": \"AT\"}}\n\n{\"ip_str\": \"192.0.2.2\", \"location\": {\"country_code\": \"DE\"}}\n")(w, r)
	case "/shodan/alert/ALERT1":
		lines("{\"ip_str\": \"198.51.100.7\"}\n")(w, r)
	default:
		w.WriteHeader(nethttp.StatusNotFound)
	}
}

func runShodan(t *testing.T, root string, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	c.Kind = botapi.KindCollector
	c.New = NewShodan
	c.Params = shodanParams(root, extra)
	c.Feed = &botapi.Feed{Name: "Shodan Country Stream", Provider: "Shodan", Accuracy: 100}
	return bottest.Run(t, c)
}

// TestShodanCountries reads the countries stream; each banner is a report
// with raw only (no feed.url, which would carry the key).
func TestShodanCountries(t *testing.T) {
	s := newStreamServer(t, fakeShodan)
	res := runShodan(t, s.srv.URL+"/", map[string]any{"countries": "AT, DE"}, bottest.Case{})
	if diff := cmp.Diff([]string{
		`{"ip_str": "192.0.2.1", "location": {"country_code": "AT"}}`,
		`{"ip_str": "192.0.2.2", "location": {"country_code": "DE"}}`,
	}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res.AssertMessageEqual(t, 1, map[string]any{"feed.name": "Shodan Country Stream", "feed.provider": "Shodan",
		"feed.accuracy": 100.0}, false, "")
	res.AssertNotLogMatches(t, "shodan-key", "")
}

// TestShodanAlert reads the stream of a network alert.
func TestShodanAlert(t *testing.T) {
	s := newStreamServer(t, fakeShodan)
	res := runShodan(t, s.srv.URL, map[string]any{"alert": "ALERT1"}, bottest.Case{})
	if diff := cmp.Diff([]string{`{"ip_str": "198.51.100.7"}`}, res.Raws(t, "")); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

// TestShodanBadKey: a refused key fails the collection without retries.
func TestShodanBadKey(t *testing.T) {
	s := newStreamServer(t, fakeShodan)
	res := runShodan(t, s.srv.URL, map[string]any{"alert": "ALERT1", "api_key": "wrong"}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `HTTP response status code was 401 for http://.*/shodan/alert/ALERT1$`, "")
	res.AssertNotLogMatches(t, "wrong", "")
}

func TestShodanValidate(t *testing.T) {
	for name, extra := range map[string]map[string]any{
		"both":         {"alert": "A", "countries": "AT"},
		"empty key":    {"api_key": "", "alert": "A"},
		"relative url": {"stream_url": "stream.shodan.io", "alert": "A"},
	} {
		b, err := NewShodan(&botapi.Context{}, shodanParams("https://stream.shodan.io", extra))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, extra)
		}
	}
}

// TestShodanNoSelector: without countries or alert the bot stops at Start.
func TestShodanNoSelector(t *testing.T) {
	b, err := NewShodan(&botapi.Context{}, shodanParams("https://stream.shodan.io", nil))
	if err != nil {
		t.Fatal(err)
	}
	err = b.(botapi.Starter).Start(context.Background())
	if !errors.Is(err, botapi.ErrFatal) || !strings.Contains(err.Error(), "give countries or alert") {
		t.Errorf("Start without a selector: %v", err)
	}
}
