// SPDX-License-Identifier: AGPL-3.0-or-later

package shadowserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

const (
	testKey    = "test-key"
	testSecret = "test-secret"
)

// fakeAPI behaves like the Shadowserver Reports API: reports/list checks
// the HMAC2 signature of the body and answers the reports of the asked
// mailing lists; GET /<id> downloads a report.
type fakeAPI struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	reports []map[string]string // id, type, file, report, data
	broken  map[string]bool     // ids whose download fails with 500
	bodies  []map[string]any    // the list requests received
	gets    []string
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t, broken: map[string]bool{}}
	f.srv = httptest.NewServer(nethttp.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w nethttp.ResponseWriter, r *nethttp.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == nethttp.MethodPost && r.URL.Path == "/api2/reports/list":
		body, _ := io.ReadAll(r.Body)
		m := hmac.New(sha256.New, []byte(testSecret))
		m.Write(body)
		if r.Header.Get("HMAC2") != hex.EncodeToString(m.Sum(nil)) {
			w.WriteHeader(nethttp.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error": "Invalid HMAC"}`))
			return
		}
		var req map[string]any
		if err := json.Unmarshal(body, &req); err != nil {
			f.t.Errorf("list request is not JSON: %v: %s", err, body)
			w.WriteHeader(nethttp.StatusBadRequest)
			return
		}
		f.bodies = append(f.bodies, req)
		if req["apikey"] != testKey {
			_, _ = w.Write([]byte(`{"error": "Invalid API key"}`))
			return
		}
		wanted := map[string]bool{}
		if lists, ok := req["reports"].([]any); ok {
			for _, l := range lists {
				wanted[l.(string)] = true
			}
		}
		var out []map[string]string
		for _, rep := range f.reports {
			if len(wanted) == 0 || wanted[rep["report"]] {
				out = append(out, map[string]string{"id": rep["id"], "type": rep["type"], "file": rep["file"],
					"report": rep["report"], "timestamp": "2016-01-01", "url": f.srv.URL + "/" + rep["id"]})
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	case r.Method == nethttp.MethodGet:
		id := strings.TrimPrefix(r.URL.Path, "/dl/")
		f.gets = append(f.gets, id)
		if f.broken[id] {
			w.WriteHeader(nethttp.StatusInternalServerError)
			return
		}
		for _, rep := range f.reports {
			if rep["id"] == id {
				_, _ = w.Write([]byte(rep["data"]))
				return
			}
		}
		w.WriteHeader(nethttp.StatusNotFound)
	default:
		w.WriteHeader(nethttp.StatusNotFound)
	}
}

func (f *fakeAPI) params(extra map[string]any) botapi.MapParams {
	p := botapi.MapParams{
		"api_key": testKey, "secret": testSecret,
		"api_url": f.srv.URL + "/api2/", "download_url": f.srv.URL + "/dl/",
		"cache_ttl": defaultCacheTTL, "timeout": 5 * time.Second, "retries": int64(0), "verify_cert": true,
		"user_agent": "intelmq-go",
	}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

var testFeed = &botapi.Feed{Name: "Shadowserver API", Provider: "Shadowserver", Accuracy: 100}

func (f *fakeAPI) run(t *testing.T, c bottest.Case, extra map[string]any) *bottest.Result {
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = f.params(extra)
	c.Feed = testFeed
	return bottest.Run(t, c)
}

const scanCSV = "\"timestamp\",\"ip\",\"port\"\n\"2016-01-01 00:00:01\",\"192.0.2.1\",445\n"

// TestCollect: the list is signed, asks for the mailing lists and the
// last three days; only the wanted type is downloaded and sent with its
// file name.
func TestCollect(t *testing.T) {
	f := newFakeAPI(t)
	f.reports = []map[string]string{
		{"id": "a1", "type": "scan_smb", "file": "2016-01-01-scan_smb-austria-geo.csv", "report": "austria", "data": scanCSV},
		{"id": "b2", "type": "device_id", "file": "2016-01-01-device_id-austria-geo.csv", "report": "austria", "data": "x\n"},
		{"id": "c3", "type": "scan_smb", "file": "2016-01-01-scan_smb-other.csv", "report": "other", "data": "y\n"},
	}
	res := f.run(t, bottest.Case{}, map[string]any{"reports": []string{"austria"}, "types": []string{"scan_smb"}})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{
		"feed.name": "Shadowserver API", "feed.provider": "Shadowserver", "feed.accuracy": 100.0,
		"extra.file_name": "2016-01-01-scan_smb-austria-geo.csv",
		"raw":             "InRpbWVzdGFtcCIsImlwIiwicG9ydCIKIjIwMTYtMDEtMDEgMDA6MDA6MDEiLCIxOTIuMC4yLjEiLDQ0NQo=",
	}, true, "")
	res.AssertLogMatches(t, `^Downloaded 1 of 1 available reports\.$`, "INFO")
	if len(f.bodies) != 1 {
		t.Fatalf("%d list requests, want 1", len(f.bodies))
	}
	want := map[string]any{"apikey": testKey, "date": "2015-12-30:2016-01-01", "reports": []any{"austria"}}
	for k, v := range want {
		if got, _ := json.Marshal(f.bodies[0][k]); string(got) != mustJSON(v) {
			t.Errorf("list request %s = %s, want %s", k, got, mustJSON(v))
		}
	}
	if strings.Join(f.gets, ",") != "a1" {
		t.Errorf("downloads %v, want only a1", f.gets)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestAllReportsAndCountry: without reports and types the list names no
// mailing list and every report is sent; the deprecated country adds one.
func TestAllReportsAndCountry(t *testing.T) {
	f := newFakeAPI(t)
	f.reports = []map[string]string{
		{"id": "a1", "type": "scan_smb", "file": "a.csv", "report": "austria", "data": "a\n"},
		{"id": "b2", "type": "device_id", "file": "b.csv", "report": "other", "data": "b\n"},
	}
	res := f.run(t, bottest.Case{}, nil)
	res.AssertOutputLen(t, "", 2)
	if _, ok := f.bodies[0]["reports"]; ok {
		t.Errorf("list request names mailing lists without reports: %v", f.bodies[0])
	}
	res = f.run(t, bottest.Case{}, map[string]any{"country": "austria"})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Shadowserver API", "feed.provider": "Shadowserver",
		"feed.accuracy": 100.0, "extra.file_name": "a.csv"}, false, "")
}

// TestStateRemembersReports: a report sent is not sent again while it is
// listed, until cache_ttl has passed; the names survive a restart.
func TestStateRemembersReports(t *testing.T) {
	f := newFakeAPI(t)
	f.reports = []map[string]string{{"id": "a1", "type": "scan_smb", "file": "a.csv", "report": "austria", "data": "a\n"}}
	dir := t.TempDir()
	clk := clock.NewManual(bottest.Epoch)
	res := f.run(t, bottest.Case{StateDir: dir, Clock: clk}, nil)
	res.AssertOutputLen(t, "", 1)
	f.reports = append(f.reports, map[string]string{"id": "b2", "type": "scan_smb", "file": "b.csv", "report": "austria", "data": "b\n"})
	clk.Advance(24 * time.Hour)
	res = f.run(t, bottest.Case{StateDir: dir, Clock: clk}, nil)
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Shadowserver API", "feed.provider": "Shadowserver",
		"feed.accuracy": 100.0, "extra.file_name": "b.csv"}, false, "")
	res.AssertLogMatches(t, `Processed file "a.csv" already\.`, "DEBUG")
	clk.Advance(defaultCacheTTL)
	res = f.run(t, bottest.Case{StateDir: dir, Clock: clk}, nil)
	res.AssertOutputLen(t, "", 2)
}

// TestFailedDownloadIsRetried: a report whose download fails is logged,
// the others are sent, the collection fails, and the next collection
// sends the missing report only.
func TestFailedDownloadIsRetried(t *testing.T) {
	f := newFakeAPI(t)
	f.reports = []map[string]string{
		{"id": "a1", "type": "scan_smb", "file": "a.csv", "report": "austria", "data": "a\n"},
		{"id": "b2", "type": "scan_smb", "file": "b.csv", "report": "austria", "data": "b\n"},
	}
	f.broken["a1"] = true
	dir := t.TempDir()
	res := f.run(t, bottest.Case{StateDir: dir, AllowedErrors: 2}, nil)
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Shadowserver API", "feed.provider": "Shadowserver",
		"feed.accuracy": 100.0, "extra.file_name": "b.csv"}, false, "")
	res.AssertLogMatches(t, `Could not download report "a.csv" \(id a1\).*500`, "ERROR")
	res.AssertLogMatches(t, `1 of 2 reports could not be downloaded`, "")
	f.broken["a1"] = false
	res = f.run(t, bottest.Case{StateDir: dir}, nil)
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Shadowserver API", "feed.provider": "Shadowserver",
		"feed.accuracy": 100.0, "extra.file_name": "a.csv"}, false, "")
}

// TestAPIErrors: a wrong secret (401 from the signature check) and an
// error answer fail the collection with what went wrong; nothing is sent.
func TestAPIErrors(t *testing.T) {
	f := newFakeAPI(t)
	f.reports = []map[string]string{{"id": "a1", "type": "scan_smb", "file": "a.csv", "report": "austria", "data": "a\n"}}
	res := f.run(t, bottest.Case{AllowedErrors: 1}, map[string]any{"secret": "wrong"})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `HTTP response status code was 401 for .*/api2/reports/list`, "")
	res = f.run(t, bottest.Case{AllowedErrors: 1}, map[string]any{"api_key": "unknown"})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `the Shadowserver API refused the report list: Invalid API key`, "")
	if len(f.gets) != 0 {
		t.Errorf("downloads after a refused list: %v", f.gets)
	}
}

// TestListBody: the body is IntelMQ's and is signed with HMAC-SHA256.
func TestListBody(t *testing.T) {
	b, err := New(&botapi.Context{}, botapi.MapParams{"api_key": "k", "secret": "s", "reports": []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	c := b.(*Collector)
	body := c.listBody(time.Date(2024, 3, 1, 23, 0, 0, 0, time.FixedZone("X", -3600)))
	want := `{ "apikey": "k" ,"date": "2024-02-29:2024-03-02" ,"reports": ["a", "b"]}`
	if string(body) != want {
		t.Errorf("body %s, want %s", body, want)
	}
	m := hmac.New(sha256.New, []byte("s"))
	m.Write([]byte(want))
	if got := c.sign(body); got != hex.EncodeToString(m.Sum(nil)) {
		t.Errorf("signature %s", got)
	}
}

// TestValidate rejects empty credentials and bad URLs.
func TestValidate(t *testing.T) {
	for name, p := range map[string]botapi.MapParams{
		"no key":       {"api_key": "", "secret": "s"},
		"no secret":    {"api_key": "k", "secret": ""},
		"relative url": {"api_key": "k", "secret": "s", "api_url": "/api2/"},
		"no slash":     {"api_key": "k", "secret": "s", "download_url": "https://dl.example"},
	} {
		for k, v := range map[string]any{"api_url": defaultAPIURL, "download_url": defaultDownloadURL, "cache_ttl": defaultCacheTTL} {
			if _, ok := p[k]; !ok {
				p[k] = v
			}
		}
		b, err := New(&botapi.Context{}, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, p)
		}
	}
}
