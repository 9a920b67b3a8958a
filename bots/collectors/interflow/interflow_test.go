// SPDX-License-Identifier: AGPL-3.0-or-later

package interflow

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

const (
	apiKey  = "secret-key"
	apiPath = "/file/api/file/"
	// The harness's clock is at 2016-01-01T00:00:00Z.
	fresh = "2015-12-31T10:00:00.1234567Z"
	old   = "Tue, 01 Dec 2015 10:00:00 GMT"
	murl  = `[{"Url": "http://01.example.com/foobar.html", "IndicatorThreatType": "MaliciousUrl"}]`
)

// fakeInterflow is the Interflow file API.
type fakeInterflow struct {
	srv   *httptest.Server
	mu    sync.Mutex
	files map[string]fakeFile
	// listStatus and listBody, when set, replace the answer to the list.
	listStatus int
	listBody   string
	// getStatus answers the download of the named files with a status.
	getStatus map[string]int
	downloads []string
}

type fakeFile struct {
	data         []byte
	lastModified string
}

func newFakeInterflow(t *testing.T) *fakeInterflow {
	f := &fakeInterflow{files: map[string]fakeFile{}, getStatus: map[string]int{}}
	f.srv = httptest.NewServer(nethttp.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeInterflow) put(name string, data []byte, lastModified string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[name] = fakeFile{data: data, lastModified: lastModified}
}

func (f *fakeInterflow) serve(w nethttp.ResponseWriter, r *nethttp.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get(keyHeader) != apiKey {
		w.WriteHeader(nethttp.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"statusCode": 401, "message": "Access denied due to invalid subscription key."}`))
		return
	}
	switch r.URL.Path {
	case apiPath + "listsharedfiles":
		if f.listStatus != 0 {
			w.WriteHeader(f.listStatus)
			return
		}
		if f.listBody != "" {
			_, _ = w.Write([]byte(f.listBody))
			return
		}
		names := make([]string, 0, len(f.files))
		for n := range f.files {
			names = append(names, n)
		}
		sort.Strings(names)
		list := []map[string]any{}
		for _, n := range names {
			list = append(list, map[string]any{"Name": n, "LastModified": f.files[n].lastModified, "Size": len(f.files[n].data)})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(list)
	case apiPath + "download":
		name := r.URL.Query().Get("fileName")
		f.downloads = append(f.downloads, name)
		file, ok := f.files[name]
		switch {
		case !ok:
			w.WriteHeader(nethttp.StatusNotFound)
		case f.getStatus[name] != 0:
			w.WriteHeader(f.getStatus[name])
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(file.data)
		}
	default:
		w.WriteHeader(nethttp.StatusNotFound)
	}
}

func (f *fakeInterflow) run(t *testing.T, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	p := bottest.Params(Spec())
	p[paramAPIKey] = apiKey
	p[paramAPIURL] = f.srv.URL + apiPath
	p[httpcollector.APIParamRetries] = int64(0)
	for k, v := range extra {
		p[k] = v
	}
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = p
	c.Feed = &botapi.Feed{Name: "BingMURLs via Interflow", Provider: "Microsoft", Accuracy: 100}
	return bottest.Run(t, c)
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// byName returns the reports' raw (decoded) by extra.file_name.
func byName(t *testing.T, res *bottest.Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range res.Messages("") {
		raw, err := base64.StdEncoding.DecodeString(m.GetString("raw"))
		if err != nil {
			t.Fatalf("raw is not base64: %v", err)
		}
		out[m.GetString("extra.file_name")] = string(raw)
	}
	return out
}

func assertReports(t *testing.T, res *bottest.Result, want map[string]string) {
	t.Helper()
	if got := byName(t, res); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reports by name:\n got %v\nwant %v", got, want)
	}
}

// TestCollect sends the fresh files matching file_match, gunzipping the
// compressed ones, with the download URL and the file name.
func TestCollect(t *testing.T) {
	f := newFakeInterflow(t)
	f.put("bingmurls_20151231.json.gz", gz(t, murl), fresh)
	f.put("bingmurls_20151230.json", []byte(murl), "2015-12-30T12:00:00+00:00")
	f.put("bingmurls_20151201.json.gz", gz(t, murl), old)
	f.put("ctip_20151231.json.gz", gz(t, "[]"), fresh)
	res := f.run(t, map[string]any{paramFileMatch: "^bingmurls_"}, bottest.Case{})
	res.AssertOutputLen(t, "", 2)
	res.AssertMessageEqual(t, 0, map[string]any{
		"feed.name": "BingMURLs via Interflow", "feed.provider": "Microsoft", "feed.accuracy": 100.0,
		"feed.url":         f.srv.URL + "/file/api/file/download?fileName=bingmurls_20151230.json",
		"extra.file_name":  "bingmurls_20151230.json",
		"raw":              b64(murl),
		"time.observation": "2016-01-01T00:00:00+00:00",
	}, true, "")
	assertReports(t, res, map[string]string{"bingmurls_20151231.json.gz": murl, "bingmurls_20151230.json": murl})
	if got := res.Messages("")[1].GetString("feed.url"); got != f.srv.URL+"/file/api/file/download?fileName=bingmurls_20151231.json.gz" {
		t.Errorf("feed.url of the second report: %s", got)
	}
	if len(f.downloads) != 2 {
		t.Errorf("downloads %v; want only the two files sent", f.downloads)
	}
	res.AssertLogMatches(t, `^Sent 2 reports of 2 new files \(4 files listed\)\.$`, "INFO")
	if strings.Contains(res.Log, apiKey) {
		t.Errorf("the log holds the API key:\n%s", res.Log)
	}
}

// TestFileMatch is anchored at the start of the name, as re.match.
func TestFileMatch(t *testing.T) {
	f := newFakeInterflow(t)
	f.put("bingmurls_1.json", []byte(murl), fresh)
	f.put("ctip_1.json", []byte("[]"), fresh)
	f.run(t, map[string]any{paramFileMatch: "murls"}, bottest.Case{}).AssertOutputLen(t, "", 0)
	assertReports(t, f.run(t, map[string]any{paramFileMatch: "ctip"}, bottest.Case{}), map[string]string{"ctip_1.json": "[]"})
	f.run(t, map[string]any{paramFileMatch: ""}, bottest.Case{}).AssertOutputLen(t, "", 2)
}

// TestNotOlderThan: relative times, durations and dates filter by
// LastModified; empty takes all; an unreadable LastModified is sent with a
// warning.
func TestNotOlderThan(t *testing.T) {
	f := newFakeInterflow(t)
	f.put("a", []byte("a"), "2015-12-31T23:00:00Z") // 1 hour old
	f.put("b", []byte("b"), "2015-12-30T23:00:00Z") // 25 hours old
	f.put("c", []byte("c"), "2015-11-01T00:00:00Z") // 2 months old
	for value, want := range map[string]string{
		"2 days":                    "map[a:a b:b]",
		"1 day":                     "map[a:a]",
		"2 hours":                   "map[a:a]",
		"90m":                       "map[a:a]",
		"2015-12-15":                "map[a:a b:b]",
		"2015-10-01T00:00:00+00:00": "map[a:a b:b c:c]",
		"":                          "map[a:a b:b c:c]",
	} {
		res := f.run(t, map[string]any{paramNotOlderThan: value}, bottest.Case{})
		if got := fmt.Sprint(byName(t, res)); got != want {
			t.Errorf("not_older_than %q: sent %s, want %s", value, got, want)
		}
	}
	f.put("d", []byte("d"), "yesterday")
	res := f.run(t, map[string]any{paramNotOlderThan: "1 day"}, bottest.Case{AllowedWarnings: 1})
	assertReports(t, res, map[string]string{"a": "a", "d": "d"})
	res.AssertLogMatches(t, `^File "d" has no readable LastModified \("yesterday"\); sending it whatever its age\.$`, "WARNING")
}

// TestState: a second collection sends nothing, a new file and a file
// modified again are sent, also after a restart; names are forgotten
// after cache_ttl once no longer listed.
func TestState(t *testing.T) {
	f := newFakeInterflow(t)
	dir := t.TempDir()
	f.put("ctip_1.json.gz", gz(t, "1"), fresh)
	f.put("ctip_2.json.gz", gz(t, "2"), fresh)
	f.run(t, nil, bottest.Case{StateDir: dir}).AssertOutputLen(t, "", 2)

	f.downloads = nil
	f.run(t, nil, bottest.Case{StateDir: dir}).AssertOutputLen(t, "", 0)
	if len(f.downloads) != 0 {
		t.Errorf("files sent before were downloaded again: %v", f.downloads)
	}

	f.put("ctip_3.json.gz", gz(t, "3"), fresh)
	f.put("ctip_1.json.gz", gz(t, "1b"), "2015-12-31T11:00:00Z")
	res := f.run(t, nil, bottest.Case{StateDir: dir})
	assertReports(t, res, map[string]string{"ctip_1.json.gz": "1b", "ctip_3.json.gz": "3"})
	res.AssertLogMatches(t, `^File "ctip_1\.json\.gz" changed since it was sent`, "INFO")

	// A week later ctip_2 is gone: it is forgotten; the others, still
	// listed though too old to be sent, are kept.
	f.mu.Lock()
	delete(f.files, "ctip_2.json.gz")
	f.mu.Unlock()
	later := clock.NewManual(bottest.Epoch.Add(defaultCacheTTL + time.Hour))
	f.run(t, nil, bottest.Case{StateDir: dir, Clock: later}).AssertOutputLen(t, "", 0)
	raw, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(raw); strings.Contains(s, "ctip_2") || !strings.Contains(s, "ctip_1") || !strings.Contains(s, "ctip_3") {
		t.Errorf("state after a week: %s; want ctip_1 and ctip_3 only", raw)
	}
	// Even with no age filter, the kept names are not sent again.
	f.run(t, map[string]any{paramNotOlderThan: ""}, bottest.Case{StateDir: dir, Clock: later}).AssertOutputLen(t, "", 0)
}

// TestListErrors: a refused key or a malformed list fails the collection
// with a message naming the cause; nothing is sent.
func TestListErrors(t *testing.T) {
	f := newFakeInterflow(t)
	f.put("ctip_1.json", []byte("[]"), fresh)
	res := f.run(t, map[string]any{paramAPIKey: "wrong"}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `downloading the file list: HTTP response status code was 401 for .*/listsharedfiles: the Interflow API refused the api_key`, "ERROR")

	f.listBody = `{"message": "maintenance"}`
	res = f.run(t, nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `the file list from .*/listsharedfiles is not a JSON list`, "ERROR")

	f.listBody = `[{"Name": "ctip_1.json", "LastModified": "` + fresh + `"}, {"LastModified": "x"}, 5]`
	res = f.run(t, nil, bottest.Case{AllowedWarnings: 2})
	assertReports(t, res, map[string]string{"ctip_1.json": "[]"})
	res.AssertLogMatches(t, `^Ignoring an entry of the file list without a file name: 5\.$`, "WARNING")
}

// TestFileErrors: a file that cannot be downloaded or decompressed is
// logged and not remembered; the others are sent, and the failed one is
// sent by the next collection once it works.
func TestFileErrors(t *testing.T) {
	f := newFakeInterflow(t)
	dir := t.TempDir()
	f.put("a.json", []byte("a"), fresh)
	f.put("b.json", []byte("b"), fresh)
	f.put("c.json.gz", []byte{0x1f, 0x8b, 0x08, 0x00, 'b', 'a', 'd'}, fresh)
	f.getStatus["b.json"] = nethttp.StatusInternalServerError
	res := f.run(t, nil, bottest.Case{StateDir: dir, AllowedErrors: 3})
	assertReports(t, res, map[string]string{"a.json": "a"})
	res.AssertLogMatches(t, `^Could not collect file "b\.json": downloading: HTTP response status code was 500 for .*download\?fileName=b\.json\.$`, "ERROR")
	res.AssertLogMatches(t, `^Could not collect file "c\.json\.gz": decompressing: `, "ERROR")
	res.AssertLogMatches(t, `2 of 3 new files could not be collected`, "ERROR")

	delete(f.getStatus, "b.json")
	f.put("c.json.gz", gz(t, "c"), fresh)
	assertReports(t, f.run(t, nil, bottest.Case{StateDir: dir}), map[string]string{"b.json": "b", "c.json.gz": "c"})
}

// TestRetries: a 503 is tried again.
func TestRetries(t *testing.T) {
	f := newFakeInterflow(t)
	f.put("a.json", []byte("a"), fresh)
	f.getStatus["a.json"] = nethttp.StatusServiceUnavailable
	res := f.run(t, map[string]any{httpcollector.APIParamRetries: int64(2)}, bottest.Case{AllowedErrors: 2, AllowedWarnings: 2})
	res.AssertOutputLen(t, "", 0)
	if len(f.downloads) != 3 {
		t.Errorf("%d download attempts, want 3", len(f.downloads))
	}
}

// TestMaxSize refuses a file larger than max_size.
func TestMaxSize(t *testing.T) {
	f := newFakeInterflow(t)
	f.put("big.json.gz", gz(t, strings.Repeat("x", 1000)), fresh)
	f.put("small.json", []byte("x"), fresh)
	res := f.run(t, map[string]any{httpcollector.APIParamMaxSize: int64(500)}, bottest.Case{AllowedErrors: 2})
	assertReports(t, res, map[string]string{"small.json": "x"})
	res.AssertLogMatches(t, `^Could not collect file "big\.json\.gz": decompressing: .*max_size`, "ERROR")
}

func TestValidate(t *testing.T) {
	for name, extra := range map[string]botapi.MapParams{
		"empty key":          {paramAPIKey: " "},
		"bad regex":          {paramFileMatch: "("},
		"bad not_older_than": {paramNotOlderThan: "last week"},
		"bad api url":        {paramAPIURL: "interflow.azure-api.net"},
		"negative retries":   {httpcollector.APIParamRetries: int64(-1)},
		"zero cache ttl":     {paramCacheTTL: time.Duration(0)},
	} {
		p := botapi.MapParams{paramAPIKey: apiKey, paramAPIURL: defaultAPIURL, paramNotOlderThan: defaultNotOlderThan,
			paramCacheTTL: defaultCacheTTL}
		for k, v := range extra {
			p[k] = v
		}
		b, err := New(&botapi.Context{}, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, extra)
		}
	}
}

func TestSpec(t *testing.T) {
	s := Spec()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := Register(botapi.NewRegistry()); err != nil {
		t.Fatal(err)
	}
}

// TestCancel: a collection waiting for the API returns when its context
// is cancelled.
func TestCancel(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	defer srv.Close()
	p := botapi.MapParams{paramAPIKey: apiKey, paramAPIURL: srv.URL, paramNotOlderThan: "", paramCacheTTL: defaultCacheTTL,
		httpcollector.APIParamTimeout: time.Minute, httpcollector.TLSParamVerify: true}
	b, err := New(&botapi.Context{Clock: clock.NewManual(bottest.Epoch)}, p)
	if err != nil {
		t.Fatal(err)
	}
	c := b.(*Collector)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	if err := c.Collect(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Collect returned %v, want context.Canceled", err)
	}
}
