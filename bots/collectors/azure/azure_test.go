// SPDX-License-Identifier: AGPL-3.0-or-later

package azure

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

const (
	account   = "acct"
	container = "ctip-infected-summary"
	ctipLine  = `{"DataFeed":"CTIP-Infected","SourceIp":"224.0.5.8","Malware":"Avalanche"}`
)

// fakeBlob is a Blob service holding one container, answering List Blobs
// (in pages of pageSize) and Get Blob as the REST API does.
type fakeBlob struct {
	srv      *httptest.Server
	mu       sync.Mutex
	blobs    map[string]fakeItem
	pageSize int
	// listStatus and listBody, when set, replace the answer to List Blobs.
	listStatus int
	listBody   string
	// getStatus answers Get Blob of the named blobs with a status.
	getStatus map[string]int
	// lists and gets count the requests; auth and queries keep what they
	// carried.
	lists, gets int
	auth        []string
	queries     []string
}

type fakeItem struct {
	data []byte
	etag string
}

func newFakeBlob(t *testing.T) *fakeBlob {
	f := &fakeBlob{blobs: map[string]fakeItem{}, pageSize: 2, getStatus: map[string]int{}}
	f.srv = httptest.NewServer(nethttp.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBlob) put(name string, data []byte, etag string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blobs[name] = fakeItem{data: data, etag: etag}
}

func (f *fakeBlob) serve(w nethttp.ResponseWriter, r *nethttp.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.queries = append(f.queries, r.URL.RawQuery)
	prefix := "/" + account + "/" + container
	q := r.URL.Query()
	switch {
	case r.Method != nethttp.MethodGet || r.Header.Get("x-ms-version") == "":
		f.fail(w, nethttp.StatusBadRequest, "InvalidHeaderValue")
	case r.URL.Path == prefix && q.Get("restype") == "container" && q.Get("comp") == "list":
		f.lists++
		if f.listStatus != 0 {
			f.fail(w, f.listStatus, "AuthenticationFailed")
			return
		}
		if f.listBody != "" {
			w.Header().Set("Content-Type", "application/xml")
			_, _ = w.Write([]byte(f.listBody))
			return
		}
		f.list(w, q.Get("marker"))
	case strings.HasPrefix(r.URL.Path, prefix+"/"):
		f.gets++
		name := strings.TrimPrefix(r.URL.Path, prefix+"/")
		it, ok := f.blobs[name]
		switch {
		case !ok:
			f.fail(w, nethttp.StatusNotFound, "BlobNotFound")
		case f.getStatus[name] != 0:
			f.fail(w, f.getStatus[name], "InternalError")
		case r.Header.Get("If-Match") != "" && r.Header.Get("If-Match") != it.etag:
			f.fail(w, nethttp.StatusPreconditionFailed, "ConditionNotMet")
		default:
			h := w.Header()
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Content-Length", strconv.Itoa(len(it.data)))
			h.Set("ETag", it.etag)
			h.Set("Last-Modified", "Mon, 25 May 2020 00:00:00 GMT")
			h.Set("x-ms-blob-type", "BlockBlob")
			_, _ = w.Write(it.data)
		}
	default:
		f.fail(w, nethttp.StatusNotFound, "ContainerNotFound")
	}
}

// list writes one page of the listing, from the blob after marker.
func (f *fakeBlob) list(w nethttp.ResponseWriter, marker string) {
	names := make([]string, 0, len(f.blobs))
	for n := range f.blobs {
		names = append(names, n)
	}
	sort.Strings(names)
	start := sort.SearchStrings(names, marker)
	end := min(start+f.pageSize, len(names))
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="%s/%s/" ContainerName="%s"><Blobs>`,
		f.srv.URL, account, container)
	for _, n := range names[start:end] {
		it := f.blobs[n]
		b.WriteString("<Blob><Name>")
		_ = xml.EscapeText(&b, []byte(n))
		fmt.Fprintf(&b, "</Name><Properties><Last-Modified>Mon, 25 May 2020 00:00:00 GMT</Last-Modified><Etag>%s</Etag>"+
			"<Content-Length>%d</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>", it.etag, len(it.data))
	}
	b.WriteString("</Blobs>")
	if end < len(names) {
		fmt.Fprintf(&b, "<NextMarker>%s</NextMarker>", names[end])
	} else {
		b.WriteString("<NextMarker />")
	}
	b.WriteString("</EnumerationResults>")
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(b.String()))
}

func (f *fakeBlob) fail(w nethttp.ResponseWriter, status int, code string) {
	w.Header().Set("x-ms-error-code", code)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>failed</Message></Error>`, code)
}

// keyConnStr is a connection string with an account key whose endpoint is
// the fake service.
func (f *fakeBlob) keyConnStr() string {
	key := base64.StdEncoding.EncodeToString([]byte("not-a-real-key"))
	return fmt.Sprintf("DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=%s/%s;", account, key, f.srv.URL, account)
}

func (f *fakeBlob) run(t *testing.T, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	p := bottest.Params(Spec())
	p[paramConnectionString] = f.keyConnStr()
	p[paramContainerName] = container
	p[paramRetries] = int64(0)
	for k, v := range extra {
		p[k] = v
	}
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = p
	c.Feed = &botapi.Feed{Name: "CTIP Infected via Azure", Provider: "Microsoft", Accuracy: 100}
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

// assertFields checks some fields of report i.
func assertFields(t *testing.T, res *bottest.Result, i int, want map[string]string) {
	t.Helper()
	msgs := res.Messages("")
	if i >= len(msgs) {
		t.Fatalf("no report %d", i)
	}
	for k, v := range want {
		if got := msgs[i].GetString(k); got != v {
			t.Errorf("report %d: %s = %q, want %q", i, k, got, v)
		}
	}
}

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

// TestCollect lists the container over several pages, gunzips the
// compressed blobs and sends each blob with its URL and name, signing the
// requests with the account key.
func TestCollect(t *testing.T) {
	f := newFakeBlob(t)
	f.put("2020-05-24/ctip_1.json.gz", gz(t, ctipLine+"\n"+ctipLine), `"0x1"`)
	f.put("2020-05-24/ctip_2.json", []byte(ctipLine), `"0x2"`)
	f.put("2020-05-25/ctip_3.json.gz", gz(t, ctipLine), `"0x3"`)
	res := f.run(t, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 3)
	res.AssertMessageEqual(t, 0, map[string]any{
		"feed.name": "CTIP Infected via Azure", "feed.provider": "Microsoft", "feed.accuracy": 100.0,
		"feed.url":         f.srv.URL + "/acct/ctip-infected-summary/2020-05-24/ctip_1.json.gz",
		"extra.file_name":  "2020-05-24/ctip_1.json.gz",
		"raw":              b64(ctipLine + "\n" + ctipLine),
		"time.observation": "2016-01-01T00:00:00+00:00",
	}, true, "")
	got := byName(t, res)
	want := map[string]string{
		"2020-05-24/ctip_1.json.gz": ctipLine + "\n" + ctipLine,
		"2020-05-24/ctip_2.json":    ctipLine,
		"2020-05-25/ctip_3.json.gz": ctipLine,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reports by name:\n got %v\nwant %v", got, want)
	}
	if f.lists != 2 {
		t.Errorf("%d list requests, want 2 (two pages)", f.lists)
	}
	for _, a := range f.auth {
		if !strings.HasPrefix(a, "SharedKey acct:") {
			t.Errorf("Authorization %q, want a SharedKey signature of account acct", a)
		}
	}
	res.AssertLogMatches(t, `^Sent 3 reports from container "ctip-infected-summary" \(3 blobs listed\)\.$`, "INFO")
}

// TestState: a second collection sends nothing, a new blob and a replaced
// blob (new ETag) are sent, also after a restart, and the state file keeps
// the names.
func TestState(t *testing.T) {
	f := newFakeBlob(t)
	dir := t.TempDir()
	f.put("a.json.gz", gz(t, ctipLine), `"0x1"`)
	f.put("b.json.gz", gz(t, ctipLine), `"0x2"`)
	res := f.run(t, nil, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 2)

	gets := f.gets
	res = f.run(t, nil, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 0)
	if f.gets != gets {
		t.Errorf("blobs sent before were downloaded again (%d downloads)", f.gets-gets)
	}

	f.put("c.json.gz", gz(t, "new"), `"0x3"`)
	f.put("a.json.gz", gz(t, "replaced"), `"0x4"`)
	res = f.run(t, nil, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 2)
	if got, want := fmt.Sprint(byName(t, res)), fmt.Sprint(map[string]string{"a.json.gz": "replaced", "c.json.gz": "new"}); got != want {
		t.Errorf("reports: got %s, want %s", got, want)
	}
	res.AssertLogMatches(t, `^Blob "a\.json\.gz" changed since it was sent`, "INFO")

	raw, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.json.gz", "b.json.gz", "c.json.gz", `\"0x4\"`} {
		if !strings.Contains(string(raw), name) {
			t.Errorf("the state file lacks %s: %s", name, raw)
		}
	}
	// Without the state directory everything is sent again.
	res = f.run(t, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 3)
}

// TestExpiry: a name sent cache_ttl ago is forgotten once its blob is no
// longer listed, and kept while it is.
func TestExpiry(t *testing.T) {
	f := newFakeBlob(t)
	dir := t.TempDir()
	f.put("old.json", []byte("old"), `"0x1"`)
	f.put("kept.json", []byte("kept"), `"0x2"`)
	f.run(t, nil, bottest.Case{StateDir: dir}).AssertOutputLen(t, "", 2)

	f.mu.Lock()
	delete(f.blobs, "old.json")
	f.mu.Unlock()
	later := clock.NewManual(bottest.Epoch.Add(defaultCacheTTL + time.Hour))
	f.run(t, nil, bottest.Case{StateDir: dir, Clock: later}).AssertOutputLen(t, "", 0)
	raw, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "old.json") || !strings.Contains(string(raw), "kept.json") {
		t.Errorf("state after expiry: %s; want kept.json only", raw)
	}
	// The blob reappearing is sent again.
	f.put("old.json", []byte("old"), `"0x1"`)
	f.run(t, nil, bottest.Case{StateDir: dir, Clock: later}).AssertOutputLen(t, "", 1)
}

// TestSAS: with a shared access signature the requests carry it, the
// reports do not.
func TestSAS(t *testing.T) {
	f := newFakeBlob(t)
	f.put("x.json", []byte(ctipLine), `"0x1"`)
	conn := fmt.Sprintf("BlobEndpoint=%s/%s/;SharedAccessSignature=sv=2022-11-02&ss=b&sp=rl&sig=SECRETSIG", f.srv.URL, account)
	res := f.run(t, map[string]any{paramConnectionString: conn}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	assertFields(t, res, 0, map[string]string{"feed.url": f.srv.URL + "/acct/ctip-infected-summary/x.json",
		"extra.file_name": "x.json"})
	for _, q := range f.queries {
		if !strings.Contains(q, "sig=SECRETSIG") {
			t.Errorf("request without the signature: %q", q)
		}
	}
	if strings.Contains(res.Log, "SECRETSIG") {
		t.Errorf("the log holds the signature:\n%s", res.Log)
	}
}

// TestListErrors: a refused or malformed listing fails the collection with
// a message naming the cause; nothing is sent and the bot does not crash.
func TestListErrors(t *testing.T) {
	f := newFakeBlob(t)
	f.put("x.json", []byte(ctipLine), `"0x1"`)
	f.listStatus = nethttp.StatusForbidden
	res := f.run(t, nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `listing the blobs of container "ctip-infected-summary": the Blob service answered HTTP 403 \(AuthenticationFailed\): the credentials`, "ERROR")

	f.listStatus = 0
	f.listBody = `<?xml version="1.0"?><EnumerationResults><Blobs><Blob><Name>x.json</Name>`
	res = f.run(t, nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `listing the blobs of container "ctip-infected-summary": unmarshalling type .*XML syntax error`, "ERROR")
}

// TestBlobErrors: a blob that cannot be downloaded or decompressed is
// logged and not remembered; the other blobs are sent, and the failed one
// is sent by the next collection once it works.
func TestBlobErrors(t *testing.T) {
	f := newFakeBlob(t)
	dir := t.TempDir()
	f.put("a.json", []byte("a"), `"0x1"`)
	f.put("b.json", []byte("b"), `"0x2"`)
	f.put("c.json.gz", []byte{0x1f, 0x8b, 0x08, 0x00, 'b', 'a', 'd'}, `"0x3"`)
	f.getStatus["b.json"] = nethttp.StatusInternalServerError
	res := f.run(t, nil, bottest.Case{StateDir: dir, AllowedErrors: 3})
	res.AssertOutputLen(t, "", 1)
	assertFields(t, res, 0, map[string]string{"extra.file_name": "a.json", "raw": b64("a")})
	res.AssertLogMatches(t, `^Could not collect blob "b\.json" of container "ctip-infected-summary": downloading: the Blob service answered HTTP 500 \(InternalError\)\.$`, "ERROR")
	res.AssertLogMatches(t, `^Could not collect blob "c\.json\.gz" of container "ctip-infected-summary": decompressing: `, "ERROR")
	res.AssertLogMatches(t, `2 of 3 blobs of container "ctip-infected-summary" could not be collected`, "ERROR")

	delete(f.getStatus, "b.json")
	f.put("c.json.gz", gz(t, "c"), `"0x4"`)
	res = f.run(t, nil, bottest.Case{StateDir: dir})
	if got, want := fmt.Sprint(byName(t, res)), fmt.Sprint(map[string]string{"b.json": "b", "c.json.gz": "c"}); got != want {
		t.Errorf("reports: got %s, want %s", got, want)
	}
}

// TestMaxSize: a blob larger than max_size is refused.
func TestMaxSize(t *testing.T) {
	f := newFakeBlob(t)
	f.put("big.json", bytes.Repeat([]byte("x"), 100), `"0x1"`)
	f.put("small.json", []byte("x"), `"0x2"`)
	res := f.run(t, map[string]any{paramMaxSize: int64(10)}, bottest.Case{AllowedErrors: 2})
	res.AssertOutputLen(t, "", 1)
	res.AssertLogMatches(t, `^Could not collect blob "big\.json" .*exceeds max_size \(10 bytes\)\.$`, "ERROR")
}

func TestValidate(t *testing.T) {
	good := "AccountName=acct;AccountKey=" + base64.StdEncoding.EncodeToString([]byte("k"))
	for name, p := range map[string]botapi.MapParams{
		"empty connection string": {paramConnectionString: "", paramContainerName: "c"},
		"malformed":               {paramConnectionString: "nonsense", paramContainerName: "c"},
		"no credentials":          {paramConnectionString: "AccountName=acct", paramContainerName: "c"},
		"no container":            {paramConnectionString: good, paramContainerName: ""},
		"negative retries":        {paramConnectionString: good, paramContainerName: "c", paramRetries: int64(-1)},
		"bad proxy":               {paramConnectionString: good, paramContainerName: "c", paramProxy: "::"},
	} {
		if _, ok := p[paramCacheTTL]; !ok {
			p[paramCacheTTL] = defaultCacheTTL
		}
		b, err := New(&botapi.Context{}, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, p)
		}
	}
	b, _ := New(&botapi.Context{}, botapi.MapParams{paramConnectionString: good, paramContainerName: "c", paramCacheTTL: defaultCacheTTL})
	if err := b.(botapi.Validator).Validate(); err != nil {
		t.Errorf("Validate refused a good configuration: %v", err)
	}
}

func TestSpec(t *testing.T) {
	s := Spec()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
}

// TestCancel: a collection waiting for the service returns when its
// context is cancelled.
func TestCancel(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	defer srv.Close()
	key := base64.StdEncoding.EncodeToString([]byte("k"))
	p := botapi.MapParams{paramConnectionString: "AccountName=acct;AccountKey=" + key + ";BlobEndpoint=" + srv.URL + "/acct",
		paramContainerName: container, paramCacheTTL: defaultCacheTTL, paramTimeout: time.Minute, paramRetries: int64(3)}
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
