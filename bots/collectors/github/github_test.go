// SPDX-License-Identifier: AGPL-3.0-or-later

package github

import (
	"encoding/json"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// fakeGitHub serves the contents API of one repository and the raw files.
type fakeGitHub struct {
	srv   *httptest.Server
	mu    sync.Mutex
	files map[string]string // path -> content
	shas  map[string]string // path -> sha
	auth  []string
}

func newFakeGitHub(t *testing.T) *fakeGitHub {
	f := &fakeGitHub{
		files: map[string]string{"a.json": `{"a": 1}`, "README.md": "# readme", "2020/b.json": `{"b": 2}`},
		shas:  map[string]string{"a.json": "sha-a", "README.md": "sha-r", "2020/b.json": "sha-b"},
	}
	f.srv = httptest.NewServer(nethttp.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHub) serve(w nethttp.ResponseWriter, r *nethttp.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const prefix = "/repos/Owner/Repo/contents"
	switch {
	case strings.HasPrefix(r.URL.Path, "/raw/"):
		if c, ok := f.files[strings.TrimPrefix(r.URL.Path, "/raw/")]; ok {
			_, _ = w.Write([]byte(c))
			return
		}
		w.WriteHeader(nethttp.StatusNotFound)
	case strings.HasPrefix(r.URL.Path, prefix):
		f.auth = append(f.auth, r.Header.Get("Authorization"))
		if r.Header.Get("Accept") != acceptHeader {
			w.WriteHeader(nethttp.StatusBadRequest)
			return
		}
		dir := strings.Trim(strings.TrimPrefix(r.URL.Path, prefix), "/")
		var out []map[string]any
		dirs := map[string]bool{}
		for p := range f.files {
			parent, name := "", p
			if i := strings.LastIndex(p, "/"); i >= 0 {
				parent, name = p[:i], p[i+1:]
			}
			if parent == dir {
				out = append(out, map[string]any{"type": "file", "name": name, "path": p, "sha": f.shas[p],
					"size": len(f.files[p]), "url": f.srv.URL + prefix + "/" + p, "download_url": f.srv.URL + "/raw/" + p})
			} else if dir == "" && !dirs[parent] {
				dirs[parent] = true
				out = append(out, map[string]any{"type": "dir", "name": parent, "path": parent,
					"url": f.srv.URL + prefix + "/" + parent, "download_url": nil})
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	default:
		w.WriteHeader(nethttp.StatusNotFound)
		_, _ = w.Write([]byte(`{"message": "Not Found"}`))
	}
}

func (f *fakeGitHub) params(extra map[string]any) botapi.MapParams {
	p := bottest.Params(Spec())
	p["repository"] = "Owner/Repo"
	p["api_url"] = f.srv.URL
	p["personal_access_token"] = "abc"
	p["retries"] = int64(0)
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func (f *fakeGitHub) run(t *testing.T, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = f.params(extra)
	c.Feed = &botapi.Feed{Name: "DailyIOC", Provider: "Strangereal Intel", Accuracy: 100}
	return bottest.Run(t, c)
}

// byURL returns the reports by feed.url.
func byURL(t *testing.T, res *bottest.Result) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i, m := range res.Messages("") {
		out[m.GetString("feed.url")] = i
	}
	return out
}

// TestCollect walks the folders, sends the matching files with their
// metadata and authenticates with the token.
func TestCollect(t *testing.T) {
	f := newFakeGitHub(t)
	res := f.run(t, map[string]any{"extra_fields": []string{"sha", "size", "missing"}}, bottest.Case{AllowedWarnings: 2})
	res.AssertOutputLen(t, "", 2)
	idx := byURL(t, res)
	a, ok := idx[f.srv.URL+"/raw/a.json"]
	if !ok {
		t.Fatalf("a.json not sent: %v", idx)
	}
	res.AssertMessageEqual(t, a, map[string]any{"feed.name": "DailyIOC", "feed.provider": "Strangereal Intel",
		"feed.accuracy": 100.0, "feed.url": f.srv.URL + "/raw/a.json", "raw": "eyJhIjogMX0=",
		"extra.file_metadata": map[string]any{"sha": "sha-a", "size": 8}}, true, "")
	if _, ok := idx[f.srv.URL+"/raw/2020/b.json"]; !ok {
		t.Errorf("2020/b.json not sent: %v", idx)
	}
	res.AssertLogMatches(t, `^Field "missing" does not exist in the GitHub file data\.$`, "WARNING")
	res.AssertLogMatches(t, `^Sent 2 of 2 matching files of Owner/Repo\.$`, "INFO")
	for _, a := range f.auth {
		if a != "token abc" {
			t.Errorf("Authorization %q, want \"token abc\"", a)
		}
	}
}

// TestOnlyChanged: a file is sent again only when its SHA changed; with
// only_changed false every file is sent each time, as in IntelMQ.
func TestOnlyChanged(t *testing.T) {
	f := newFakeGitHub(t)
	dir := t.TempDir()
	res := f.run(t, nil, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 2)
	res = f.run(t, nil, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 0)
	f.files["2020/b.json"], f.shas["2020/b.json"] = `{"b": 3}`, "sha-b2"
	res = f.run(t, nil, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 1)
	if diff := cmp.Diff(map[string]int{f.srv.URL + "/raw/2020/b.json": 0}, byURL(t, res)); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	res = f.run(t, map[string]any{"only_changed": false}, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 2)
}

// TestRegex picks files by name.
func TestRegex(t *testing.T) {
	f := newFakeGitHub(t)
	res := f.run(t, map[string]any{"regex": `\.md$`}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "DailyIOC", "feed.provider": "Strangereal Intel",
		"feed.accuracy": 100.0, "feed.url": f.srv.URL + "/raw/README.md"}, false, "")
}

// TestErrors: an unknown repository fails the collection, saying so;
// without a token a warning tells about the rate limit.
func TestErrors(t *testing.T) {
	f := newFakeGitHub(t)
	res := f.run(t, map[string]any{"repository": "Owner/Other", "personal_access_token": ""},
		bottest.Case{AllowedErrors: 1, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `refused .*/repos/Owner/Other/contents \(HTTP 404\): unknown repository or bad credentials`, "")
	res.AssertLogMatches(t, `unauthenticated API access`, "WARNING")
}

func TestValidate(t *testing.T) {
	for name, extra := range map[string]map[string]any{
		"no slash":    {"repository": "OwnerRepo"},
		"bad regex":   {"regex": "("},
		"bad api url": {"api_url": "api.github.com"},
	} {
		p := botapi.MapParams{"repository": "Owner/Repo", "regex": defaultRegex, "api_url": defaultAPIURL}
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
