// SPDX-License-Identifier: AGPL-3.0-or-later

package fireeye

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

const (
	user     = "api-user"
	password = "s3cret"
	// sampleUUID is the alert of IntelMQ's sample document.
	sampleUUID = "1591de22-4926-4124-b3ed-ffff96766295"
	masUUID    = "22222222-0000-4000-8000-000000000002"
	noMD5UUID  = "33333333-0000-4000-8000-000000000003"
	newUUID    = "44444444-0000-4000-8000-000000000004"
	// The alerts the collector must not download.
	callbackUUID = "55555555-0000-4000-8000-000000000005"
	webUUID      = "66666666-0000-4000-8000-000000000006"
)

// sample is IntelMQ's OpenIOC document of an Emotet alert, the one its
// collector and parser tests use.
func sample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "conformance", "intelmq", "samples",
		"bots", "parsers", "fireeye", "event.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// received is one request the fake appliance received.
type received struct {
	method, path, query, token string
}

// fakeAppliance emulates the Web Services API of a Fireeye appliance.
type fakeAppliance struct {
	t      *testing.T
	srv    *httptest.Server
	caFile string

	mu           sync.Mutex
	alerts       []map[string]any  // the answer's "alert" list
	alertsRaw    string            // replaces the whole answer to the alerts query
	docs         map[string]string // OpenIOC documents by alert UUID
	fail         map[string]int    // a status for the download of a UUID
	noToken      bool              // answer the login without a token
	logoutStatus int               // a status for the logout
	tokens       map[string]bool   // the tokens of open sessions
	issued       []string          // every token issued
	requests     []received
	logouts      []string // the tokens logged out
}

func newFakeAppliance(t *testing.T) *fakeAppliance {
	doc := sample(t)
	f := &fakeAppliance{t: t, docs: map[string]string{}, fail: map[string]int{}, tokens: map[string]bool{}}
	f.alerts = []map[string]any{
		{"uuid": sampleUUID, "product": "EMAIL_MPS", "name": "MALWARE_OBJECT", "id": 1454270, "alertUrl": "https://127.0.0.1/emps/eanalysis?e_id=161862&type=attch"},
		{"uuid": masUUID, "product": "MAS", "name": "MALWARE_OBJECT", "id": 2},
		{"uuid": callbackUUID, "product": "MAS", "name": "MALWARE_CALLBACK", "id": 3},
		{"uuid": webUUID, "product": "WEB_MPS", "name": "MALWARE_OBJECT", "id": 4},
		{"uuid": noMD5UUID, "product": "MAS", "name": "MALWARE_OBJECT", "id": 5},
	}
	f.docs[sampleUUID] = doc
	f.docs[masUUID] = strings.ReplaceAll(doc, sampleUUID, masUUID)
	f.docs[noMD5UUID] = strings.ReplaceAll(strings.ReplaceAll(doc, sampleUUID, noMD5UUID), "FileItem/Md5sum", "FileItem/Sha1sum")
	f.docs[callbackUUID] = doc
	f.docs[webUUID] = doc
	f.srv = httptest.NewTLSServer(nethttp.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	f.caFile = filepath.Join(t.TempDir(), "appliance.pem")
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw})
	if err := os.WriteFile(f.caFile, pemCert, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// host is the host parameter that reaches the server.
func (f *fakeAppliance) host() string { return strings.TrimPrefix(f.srv.URL, "https://") }

func (f *fakeAppliance) serve(w nethttp.ResponseWriter, r *nethttp.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	token := r.Header.Get(tokenHeader)
	f.requests = append(f.requests, received{r.Method, r.URL.Path, r.URL.RawQuery, token})
	route := r.Method + " " + r.URL.Path
	if route == "POST /wsapis/v2.0.0/auth/login" {
		u, p, ok := r.BasicAuth()
		if !ok || u != user || p != password {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(nethttp.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"fireeyeapis": {"httpStatus": 401, "message": "Unauthorized"}}`))
			return
		}
		token := fmt.Sprintf("token-%d", len(f.issued)+1)
		f.issued = append(f.issued, token)
		f.tokens[token] = true
		if !f.noToken {
			w.Header().Set(tokenHeader, token)
		}
		w.WriteHeader(nethttp.StatusOK)
		return
	}
	if _, _, ok := r.BasicAuth(); ok {
		f.t.Errorf("%s carries the credentials; only the login should", route)
	}
	if !f.tokens[token] {
		w.WriteHeader(nethttp.StatusUnauthorized)
		return
	}
	switch route {
	case "GET /wsapis/v2.0.0/alerts":
		if r.Header.Get("Accept") != "application/json" {
			w.WriteHeader(nethttp.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if f.alertsRaw != "" {
			_, _ = w.Write([]byte(f.alertsRaw))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"alert": f.alerts, "appliance": "CMS", "msg": "concise",
			"alertsCount": len(f.alerts)})
	case "GET /wsapis/v2.0.0/openioc":
		uuid := r.URL.Query().Get("alert_uuid")
		if status := f.fail[uuid]; status != 0 {
			w.WriteHeader(status)
			return
		}
		doc, ok := f.docs[uuid]
		if !ok {
			w.WriteHeader(nethttp.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(doc))
	case "POST /wsapis/v2.0.0/auth/logout":
		if f.logoutStatus != 0 {
			w.WriteHeader(f.logoutStatus)
			return
		}
		delete(f.tokens, token)
		f.logouts = append(f.logouts, token)
		w.WriteHeader(nethttp.StatusNoContent)
	default:
		w.WriteHeader(nethttp.StatusNotFound)
	}
}

// downloads returns the UUIDs whose OpenIOC document was asked for, in
// order, and clears the record of requests.
func (f *fakeAppliance) downloads() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if r.path == "/wsapis/v2.0.0/openioc" {
			out = append(out, strings.TrimPrefix(r.query, "alert_uuid="))
		}
	}
	f.requests = nil
	return out
}

// params returns the collector's parameters for the fake appliance.
func (f *fakeAppliance) params(extra map[string]any) botapi.MapParams {
	p := bottest.Params(Spec())
	p[paramHost] = f.host()
	p[paramUsername] = user
	p[paramPassword] = password
	p["ca_file"] = f.caFile
	p["retries"] = int64(0)
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func (f *fakeAppliance) run(t *testing.T, stateDir string, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	c.Kind = botapi.KindCollector
	c.New = New
	c.Params = f.params(extra)
	c.StateDir = stateDir
	c.Feed = &botapi.Feed{Name: "Malware Analysis System", Provider: "Fireeye", Accuracy: 100,
		Documentation: "https://www.fireeye.com/products/malware-analysis.html"}
	return bottest.Run(t, c)
}

// assertLoggedOut checks that every session issued was closed.
func (f *fakeAppliance) assertLoggedOut(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.tokens) != 0 || len(f.logouts) != len(f.issued) {
		t.Errorf("sessions left open: %v; issued %v, logged out %v", f.tokens, f.issued, f.logouts)
	}
}

func (f *fakeAppliance) docURL(uuid string) string {
	return f.srv.URL + "/wsapis/v2.0.0/openioc?alert_uuid=" + uuid
}

// TestCollect sends the OpenIOC document of each malware alert of the
// email and file appliances once, with the token of the login, and logs
// out; a second collection sends nothing, a third only the new alert.
func TestCollect(t *testing.T) {
	f := newFakeAppliance(t)
	state := t.TempDir()
	res := f.run(t, state, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 2)
	for i, uuid := range []string{sampleUUID, masUUID} {
		res.AssertMessageEqual(t, i, map[string]any{
			"__type":             "Report",
			"feed.name":          "Malware Analysis System",
			"feed.provider":      "Fireeye",
			"feed.accuracy":      100.0,
			"feed.documentation": "https://www.fireeye.com/products/malware-analysis.html",
			"feed.url":           f.docURL(uuid),
			"time.observation":   "2016-01-01T00:00:00+00:00",
		}, false, "")
		raw, err := res.Messages("")[i].RawText()
		if err != nil || raw != f.docs[uuid] {
			t.Errorf("report %d: raw is not the document of %s (%v):\n%.200s", i, uuid, err, raw)
		}
	}
	f.mu.Lock()
	reqs := append([]received(nil), f.requests...)
	f.mu.Unlock()
	want := []received{
		{"POST", "/wsapis/v2.0.0/auth/login", "", ""},
		{"GET", "/wsapis/v2.0.0/alerts", "duration=24_hours", "token-1"},
		{"GET", "/wsapis/v2.0.0/openioc", "alert_uuid=" + sampleUUID, "token-1"},
		{"GET", "/wsapis/v2.0.0/openioc", "alert_uuid=" + masUUID, "token-1"},
		{"GET", "/wsapis/v2.0.0/openioc", "alert_uuid=" + noMD5UUID, "token-1"},
		{"POST", "/wsapis/v2.0.0/auth/logout", "", "token-1"},
	}
	if fmt.Sprint(reqs) != fmt.Sprint(want) {
		t.Errorf("requests\n%v\nwant\n%v", reqs, want)
	}
	f.assertLoggedOut(t)
	res.AssertNotLogMatches(t, `token-1|`+password, "")
	res.AssertLogMatches(t, `^Sent 2 reports of 3 new malware alerts\.$`, "INFO")
	res.AssertLogMatches(t, `alert `+noMD5UUID+` has no MD5 file item`, "DEBUG")
	if _, err := os.Stat(filepath.Join(state, stateFileName)); err != nil {
		t.Errorf("no state file: %v", err)
	}
	f.downloads()

	// The same alerts are listed again: nothing is downloaded or sent.
	res = f.run(t, state, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 0)
	if got := f.downloads(); len(got) != 0 {
		t.Errorf("second collection downloaded %v", got)
	}
	f.assertLoggedOut(t)

	// A new alert: only it is sent.
	f.mu.Lock()
	f.alerts = append(f.alerts, map[string]any{"uuid": newUUID, "product": "EMAIL_MPS", "name": "MALWARE_OBJECT"})
	f.docs[newUUID] = strings.ReplaceAll(f.docs[sampleUUID], sampleUUID, newUUID)
	f.mu.Unlock()
	res = f.run(t, state, map[string]any{paramRequestDuration: "48_hours"}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	if got := res.Messages("")[0].GetString("feed.url"); got != f.docURL(newUUID) {
		t.Errorf("feed.url %v", got)
	}
	if got := f.downloads(); fmt.Sprint(got) != fmt.Sprint([]string{newUUID}) {
		t.Errorf("third collection downloaded %v", got)
	}
	f.assertLoggedOut(t)
}

// TestForget: an alert no longer listed is forgotten twice
// request_duration after it was sent; one still listed is kept.
func TestForget(t *testing.T) {
	f := newFakeAppliance(t)
	state := t.TempDir()
	f.run(t, state, nil, bottest.Case{}).AssertOutputLen(t, "", 2)
	f.mu.Lock()
	f.alerts = f.alerts[1:] // the sample alert is no longer listed
	f.mu.Unlock()
	later := clock.NewManual(bottest.Epoch.Add(49 * time.Hour))
	res := f.run(t, state, nil, bottest.Case{Clock: later})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `^Forgot 1 alerts sent more than 48h0m0s ago and no longer listed\.$`, "DEBUG")
	f.mu.Lock()
	f.alerts = append(f.alerts, map[string]any{"uuid": sampleUUID, "product": "EMAIL_MPS", "name": "MALWARE_OBJECT"})
	f.mu.Unlock()
	f.downloads()
	// Listed again after it was forgotten, it is sent again.
	res = f.run(t, state, nil, bottest.Case{Clock: later})
	res.AssertOutputLen(t, "", 1)
	if got := f.downloads(); fmt.Sprint(got) != fmt.Sprint([]string{sampleUUID}) {
		t.Errorf("downloaded %v", got)
	}
}

// TestRefusedLogin: wrong credentials fail the collection at once with an
// error naming the parameters; nothing else is asked.
func TestRefusedLogin(t *testing.T) {
	f := newFakeAppliance(t)
	res := f.run(t, t.TempDir(), map[string]any{paramPassword: "wrong", "retries": int64(2)}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `^the appliance refused the login of user "api-user" \(HTTP 401\): check http_username and http_password`, "ERROR")
	res.AssertNotLogMatches(t, `wrong`, "")
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) != 1 || f.requests[0].path != "/wsapis/v2.0.0/auth/login" {
		t.Errorf("requests %v; want the login only, not retried", f.requests)
	}
}

// TestLoginErrors: a server error is retried, then fails the collection;
// a login answered without a token fails it.
func TestLoginErrors(t *testing.T) {
	f := newFakeAppliance(t)
	res := f.run(t, t.TempDir(), map[string]any{paramHost: "127.0.0.1:1", "retries": int64(1), "timeout": time.Second},
		bottest.Case{AllowedErrors: 1, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `^Request to the appliance failed, retrying \(1 of 1\): POST https://127\.0\.0\.1:1/wsapis/v2\.0\.0/auth/login: `, "WARNING")
	res.AssertLogMatches(t, `could not log in to the appliance`, "ERROR")

	f.noToken = true
	res = f.run(t, t.TempDir(), nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `the appliance accepted the login but sent no X-FeApi-Token header`, "ERROR")
}

// TestFailingDownload: a document that cannot be downloaded (or is not
// XML) is logged, the others are sent, the collection fails and the next
// one sends the missing document only; the session is closed each time.
func TestFailingDownload(t *testing.T) {
	for name, broken := range map[string]func(f *fakeAppliance){
		"status":  func(f *fakeAppliance) { f.fail[sampleUUID] = nethttp.StatusServiceUnavailable },
		"not xml": func(f *fakeAppliance) { f.docs[sampleUUID] = "<html><body>Maintenance" },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAppliance(t)
			good := f.docs[sampleUUID]
			broken(f)
			state := t.TempDir()
			res := f.run(t, state, map[string]any{"retries": int64(1)}, bottest.Case{AllowedErrors: 2, AllowedWarnings: 1})
			res.AssertOutputLen(t, "", 1)
			if got := res.Messages("")[0].GetString("feed.url"); got != f.docURL(masUUID) {
				t.Errorf("sent %v", got)
			}
			res.AssertLogMatches(t, `alert `+sampleUUID, "ERROR")
			res.AssertLogMatches(t, `1 of 3 new malware alerts could not be collected`, "ERROR")
			f.assertLoggedOut(t)
			f.downloads()

			f.mu.Lock()
			delete(f.fail, sampleUUID)
			f.docs[sampleUUID] = good
			f.mu.Unlock()
			res = f.run(t, state, nil, bottest.Case{})
			res.AssertOutputLen(t, "", 1)
			if got := res.Messages("")[0].GetString("feed.url"); got != f.docURL(sampleUUID) {
				t.Errorf("sent %v", got)
			}
			if got := f.downloads(); fmt.Sprint(got) != fmt.Sprint([]string{sampleUUID}) {
				t.Errorf("downloaded %v", got)
			}
			f.assertLoggedOut(t)
		})
	}
}

// TestAlertAnswers: no alert, a single alert object, an entry without a
// uuid, and an answer that is not JSON (which fails the collection, after
// which the session is still closed).
func TestAlertAnswers(t *testing.T) {
	f := newFakeAppliance(t)
	f.alertsRaw = `{"alert": [], "alertsCount": 0}`
	res := f.run(t, t.TempDir(), nil, bottest.Case{})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `^Downloaded 0 alerts of the last 24_hours\.$`, "INFO")

	f.alertsRaw = `{"alertsCount": 0}`
	f.run(t, t.TempDir(), nil, bottest.Case{}).AssertOutputLen(t, "", 0)

	f.alertsRaw = `{"alert": {"uuid": "` + masUUID + `", "product": "MAS", "name": "MALWARE_OBJECT"}, "alertsCount": 1}`
	res = f.run(t, t.TempDir(), nil, bottest.Case{})
	res.AssertOutputLen(t, "", 1)

	f.alertsRaw = `{"alert": [{"product": "MAS", "name": "MALWARE_OBJECT"}, 42, {"uuid": "` + masUUID +
		`", "product": "MAS", "name": "MALWARE_OBJECT"}]}`
	res = f.run(t, t.TempDir(), nil, bottest.Case{AllowedWarnings: 2})
	res.AssertOutputLen(t, "", 1)
	res.AssertLogMatches(t, `^Ignoring an entry of the alerts without a uuid: 42\.$`, "WARNING")

	f.alertsRaw = `<alerts/>`
	res = f.run(t, t.TempDir(), nil, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `is not a JSON object with the alerts`, "ERROR")
	f.assertLoggedOut(t)
}

// TestTLS: the appliance's certificate is checked; verify_cert false
// accepts it without ca_file.
func TestTLS(t *testing.T) {
	f := newFakeAppliance(t)
	res := f.run(t, t.TempDir(), map[string]any{"ca_file": ""}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `certificate`, "ERROR")
	res = f.run(t, t.TempDir(), map[string]any{"ca_file": "", "verify_cert": false}, bottest.Case{})
	res.AssertOutputLen(t, "", 2)
}

// TestLogoutFailure: a failed logout is a warning; the reports are sent.
func TestLogoutFailure(t *testing.T) {
	f := newFakeAppliance(t)
	f.logoutStatus = nethttp.StatusInternalServerError
	res := f.run(t, t.TempDir(), nil, bottest.Case{AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 2)
	res.AssertLogMatches(t, `^Could not log out of the appliance: HTTP response status code was 500 for .*; the session ends when its token expires\.$`, "WARNING")
}

// TestValidate rejects a host that is a URL or holds credentials, a
// malformed request_duration and empty credentials; a long interval is a
// warning.
func TestValidate(t *testing.T) {
	f := newFakeAppliance(t)
	for _, c := range []struct {
		param string
		value any
		want  string
	}{
		{paramHost, "https://fireeye.example.org", "must not hold a scheme or a path"},
		{paramHost, "fireeye.example.org/wsapis", "must not hold a scheme or a path"},
		{paramHost, "user:pw@fireeye.example.org", "must not hold credentials"},
		{paramHost, "", "host: is empty"},
		{paramRequestDuration, "24h", `request_duration: "24h" is not a duration`},
		{paramRequestDuration, "0_hours", `request_duration: "0_hours" is not a duration`},
		{paramUsername, "", "http_username: is empty"},
		{paramPassword, "", "http_password: is empty"},
		{"retries", int64(-1), "retries: must not be negative"},
	} {
		b, err := New(&botapi.Context{}, f.params(map[string]any{c.param: c.value}))
		if err != nil {
			t.Fatal(err)
		}
		err = b.(*Collector).Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%v: %v; want %q", c.param, c.value, err, c.want)
		}
	}
	for _, host := range []string{"fireeye.example.org", "fireeye.example.org:8443", "192.0.2.1", "[2001:db8::1]:443"} {
		b, _ := New(&botapi.Context{}, f.params(map[string]any{paramHost: host, paramRequestDuration: "1_hour"}))
		if err := b.(*Collector).Validate(); err != nil {
			t.Errorf("host %s: %v", host, err)
		}
	}
	res := f.run(t, t.TempDir(), map[string]any{paramInterval: 25 * time.Hour}, bottest.Case{AllowedWarnings: 1})
	res.AssertLogMatches(t, `^The interval 25h0m0s is longer than request_duration 24_hours`, "WARNING")
}

// TestHasMD5 follows IntelMQ: the items of the first indicator count.
func TestHasMD5(t *testing.T) {
	for doc, want := range map[string]bool{
		sample(t): true,
		`<OpenIOC><criteria><Indicator><Indicator><IndicatorItem><Context search="FileItem/Md5sum"/></IndicatorItem></Indicator></Indicator></criteria></OpenIOC>`: false,
		`<OpenIOC><criteria><Indicator/><Indicator><IndicatorItem><Context search="FileItem/Md5sum"/></IndicatorItem></Indicator></criteria></OpenIOC>`:            false,
		`<OpenIOC><metadata/></OpenIOC>`: false,
	} {
		if got, err := hasMD5([]byte(doc)); err != nil || got != want {
			t.Errorf("hasMD5(%.80q) = %v, %v; want %v", doc, got, err, want)
		}
	}
	for _, doc := range []string{"", "<html/>", "{}", "<OpenIOC><criteria>"} {
		if _, err := hasMD5([]byte(doc)); err == nil {
			t.Errorf("hasMD5(%q): no error", doc)
		}
	}
}

// TestSpec: the declaration registers.
func TestSpec(t *testing.T) {
	if err := Register(botapi.NewRegistry()); err != nil {
		t.Fatal(err)
	}
}
