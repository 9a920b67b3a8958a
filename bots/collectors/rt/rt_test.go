// SPDX-License-Identifier: AGPL-3.0-or-later

package rt

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func zipOf(t *testing.T, kv ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(kv); i += 2 {
		w, err := zw.Create(kv[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(kv[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipOf(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// intelmqTicket is the ticket of IntelMQ's RT collector tests.
func intelmqTicket(atts ...fakeAttachment) *fakeTicket {
	return &fakeTicket{
		subject: "Incoming IntelMQ Test Report", queue: "Incident Reports", status: "new", owner: "Nobody",
		requestors: []string{"wagner@cert.at"}, created: "2024-01-01 10:00:00",
		text:        "Please look at the report.\n",
		attachments: append([]fakeAttachment{{name: "(Unnamed)", contentType: "text/plain", data: []byte("Hi\n"), created: "2024-01-01 10:00:00"}}, atts...),
	}
}

// intelmqReport is IntelMQ's expected report of its RT tests, for ticket id.
func intelmqReport(id int, fileName, raw string) map[string]any {
	return map[string]any{
		"feed.name": "Example feed", "feed.accuracy": 100.0,
		"raw":                     b64(raw),
		"extra.file_name":         fileName,
		"extra.email_subject":     "Incoming IntelMQ Test Report",
		"extra.ticket_subject":    "Incoming IntelMQ Test Report",
		"extra.ticket_requestors": "wagner@cert.at",
		"extra.email_from":        "wagner@cert.at",
		"extra.ticket_queue":      "Incident Reports",
		"extra.ticket_status":     "new",
		"extra.ticket_owner":      "Nobody",
		"rtir_id":                 id,
	}
}

// first returns the first report, failing the test when there is none.
func first(t *testing.T, res *bottest.Result) *message.Message {
	t.Helper()
	msgs := res.Messages("")
	if len(msgs) == 0 {
		t.FailNow()
	}
	return msgs[0]
}

func run(t *testing.T, f *fakeRT, more map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	raw := map[string]any{"uri": f.uri(), "user": rtUser, "password": rtPassword,
		"search_subject_like": "Incoming IntelMQ Test Report"}
	for k, v := range more {
		raw[k] = v
	}
	p, err := conformance.Params(Spec(), raw)
	if err != nil {
		t.Fatal(err)
	}
	c.Kind, c.New, c.Params = botapi.KindCollector, New, p
	if c.Feed == nil {
		c.Feed = &botapi.Feed{Name: "Example feed", Accuracy: 100}
	}
	return bottest.Run(t, c)
}

// TestAttachmentZip follows IntelMQ's test_attachment_zip: the zip
// attachment is unpacked, the report carries the ticket's fields and the
// attachment's creation time; the ticket is then taken and opened, after
// its content was read, and a second collection finds nothing.
func TestAttachmentZip(t *testing.T) {
	f := newFakeRT(t)
	f.add(7, intelmqTicket(fakeAttachment{name: "foobar.zip", contentType: "application/zip",
		data: zipOf(t, "foobar", "bar text\n"), created: "2024-01-01 10:00:05"}))
	res := run(t, f, map[string]any{"attachment_regex": `.*\.zip$`}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, intelmqReport(7, "foobar", "bar text\n"), true, "")
	if got := first(t, res).GetString("time.observation"); got != "2024-01-01T10:00:05+00:00" {
		t.Errorf("time.observation = %q, want the attachment's creation time", got)
	}
	res.AssertLogMatches(t, `^1 results on search query\.$`, "INFO")
	if q := f.lastQuery(); q != "(Queue='Incident Reports') AND (Owner='nobody') AND (Status='new') AND (Subject LIKE 'Incoming IntelMQ Test Report')" {
		t.Errorf("query = %q", q)
	}
	if tk := f.ticket(7); tk.owner != rtUser || tk.status != "open" {
		t.Errorf("ticket afterwards owned by %q with status %q, want %q and open", tk.owner, tk.status, rtUser)
	}
	calls := f.callList()
	content, take, edit := slices.Index(calls, "GET ticket/7/attachments/2/content"), slices.Index(calls, "POST ticket/7/take"),
		slices.Index(calls, "POST ticket/7/edit")
	if content < 0 || take < content || edit < take || calls[0] != "POST " || calls[len(calls)-1] != "POST logout" {
		t.Errorf("calls %q: want login, the content, then take and edit, then logout", calls)
	}

	res = run(t, f, map[string]any{"attachment_regex": `.*\.zip$`}, bottest.Case{})
	res.AssertOutputLen(t, "", 0)
}

// TestAttachmentGz follows IntelMQ's test_attachment_gz: a gzip
// attachment gives its content, named after the attachment without ".gz".
func TestAttachmentGz(t *testing.T) {
	f := newFakeRT(t)
	f.add(3, intelmqTicket(fakeAttachment{name: "foobar.gz", contentType: "application/gzip",
		data: gzipOf(t, "bar text\n"), created: "2024-01-01 10:00:05"}))
	res := run(t, f, map[string]any{"attachment_regex": `.*\.gz`}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, intelmqReport(3, "foobar", "bar text\n"), true, "")
}

// TestAttachmentNotExtracted: with extract_attachment false the
// attachment is sent as it is, binary included, named after itself.
func TestAttachmentNotExtracted(t *testing.T) {
	f := newFakeRT(t)
	data := zipOf(t, "a.csv", "1,2\n")
	f.add(4, intelmqTicket(fakeAttachment{name: "report.csv.zip", contentType: "application/zip", data: data, created: "2024-01-01 10:00:05"}))
	res := run(t, f, map[string]any{"extract_attachment": false}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	raw, err := first(t, res).RawBytes()
	if err != nil || !bytes.Equal(raw, data) {
		t.Errorf("raw = %q (%v), want the zip as it is", raw, err)
	}
	if got := first(t, res).GetString("extra.file_name"); got != "report.csv.zip" {
		t.Errorf("extra.file_name = %q", got)
	}
}

// TestURLZip follows IntelMQ's test_url_zip: the ticket has no matching
// attachment, the URL in its text is downloaded and each file of the zip
// is a report; time.observation is the creating transaction's time.
func TestURLZip(t *testing.T) {
	dl := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if r.URL.Path != "/foobar.zip" {
			nethttp.NotFound(w, r)
			return
		}
		w.Write(zipOf(t, "bar", "bar text\n", "foo", "foo text\n")) //nolint:errcheck // a test server
	}))
	t.Cleanup(dl.Close)
	f := newFakeRT(t)
	tk := intelmqTicket()
	tk.text = "Dear all,\nthe report is at " + dl.URL + "/foobar.zip for download.\nRegards\n"
	f.add(9, tk)
	res := run(t, f, map[string]any{"attachment_regex": "", "url_regex": `http://127\.0\.0\.1:\d+/.*\.zip`,
		"extract_download": true}, bottest.Case{})
	res.AssertOutputLen(t, "", 2)
	res.AssertMessageEqual(t, 0, intelmqReport(9, "bar", "bar text\n"), true, "")
	res.AssertMessageEqual(t, 1, intelmqReport(9, "foo", "foo text\n"), true, "")
	if got := first(t, res).GetString("time.observation"); got != "2024-01-01T10:00:00+00:00" {
		t.Errorf("time.observation = %q, want the ticket's creation", got)
	}
	res.AssertLogMatches(t, `^Report #9 downloaded\.$`, "INFO")
	if tk := f.ticket(9); tk.owner != rtUser || tk.status != "open" {
		t.Errorf("ticket owned by %q with status %q", tk.owner, tk.status)
	}
}

// TestURLAfterUnmatchedAttachment: the default attachment_regex does not
// match, so the URL is used, and without extraction the document is sent
// as it is, named after the URL.
func TestURLAfterUnmatchedAttachment(t *testing.T) {
	dl := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		w.Write([]byte("a,b\n1,2\n")) //nolint:errcheck // a test server
	}))
	t.Cleanup(dl.Close)
	f := newFakeRT(t)
	tk := intelmqTicket(fakeAttachment{name: "notes.txt", contentType: "text/plain", data: []byte("x"), created: "2024-01-01 10:00:05"})
	tk.text = dl.URL + "/scan_ssl.csv"
	f.add(2, tk)
	res := run(t, f, map[string]any{"url_regex": `http://\S+`, "extract_download": false}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, intelmqReport(2, "scan_ssl.csv", "a,b\n1,2\n"), true, "")
}

// TestURLGone: a download answered 404 is gone for good: as in IntelMQ
// the ticket is logged, taken and opened, and sends nothing.
func TestURLGone(t *testing.T) {
	dl := httptest.NewServer(nethttp.NotFoundHandler())
	t.Cleanup(dl.Close)
	f := newFakeRT(t)
	tk := intelmqTicket()
	tk.text = dl.URL + "/expired"
	f.add(5, tk)
	res := run(t, f, map[string]any{"url_regex": `http://\S+`}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `^HTTP response status code for 'http://.*/expired' was 404\. Skipping ticket 5\.$`, "ERROR")
	if tk := f.ticket(5); tk.owner != rtUser || tk.status != "open" {
		t.Errorf("ticket owned by %q with status %q", tk.owner, tk.status)
	}
}

// TestFailedTicketLeftAlone: a corrupt archive and a download that fails
// with 500 each fail their ticket, which stays new and unowned; the good
// ticket between them is handled; the collection then fails.
func TestFailedTicketLeftAlone(t *testing.T) {
	dl := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		nethttp.Error(w, "down", nethttp.StatusServiceUnavailable)
	}))
	t.Cleanup(dl.Close)
	f := newFakeRT(t)
	f.add(1, intelmqTicket(fakeAttachment{name: "x.csv.zip", contentType: "application/zip",
		data: []byte("PK\x03\x04 not a zip"), created: "2024-01-01 10:00:05"}))
	f.add(2, intelmqTicket(fakeAttachment{name: "y.csv.zip", contentType: "application/zip",
		data: zipOf(t, "y.csv", "ok\n"), created: "2024-01-01 10:00:05"}))
	down := intelmqTicket()
	down.text = dl.URL + "/z.csv"
	f.add(3, down)
	res := run(t, f, map[string]any{"url_regex": `http://\S+`, "retries": 0},
		bottest.Case{AllowedErrors: 1, AllowedWarnings: 2})
	res.AssertOutputLen(t, "", 1)
	if got := first(t, res).GetString("extra.file_name"); got != "y.csv" {
		t.Errorf("report of %q, want y.csv", got)
	}
	res.AssertLogMatches(t, `^Ticket 1 could not be handled and is left alone: could not uncompress 'x\.csv\.zip': .*cannot extract archive`, "WARNING")
	res.AssertLogMatches(t, `^Ticket 3 could not be handled and is left alone: .*503`, "WARNING")
	res.AssertLogMatches(t, `2 of 3 tickets could not be handled and are left alone`, "ERROR")
	for id, want := range map[int]string{1: "Nobody", 2: rtUser, 3: "Nobody"} {
		if tk := f.ticket(id); tk.owner != want || (want == "Nobody") != (tk.status == "new") {
			t.Errorf("ticket %d owned by %q with status %q, want owner %q", id, tk.owner, tk.status, want)
		}
	}
}

// TestRTErrorLeavesTicket: an RT error while reading a ticket's
// attachment fails that ticket only.
func TestRTErrorLeavesTicket(t *testing.T) {
	f := newFakeRT(t)
	f.add(1, intelmqTicket(fakeAttachment{name: "a.csv.zip", contentType: "application/zip", data: zipOf(t, "a.csv", "a\n"), created: "2024-01-01 10:00:05"}))
	f.add(2, intelmqTicket(fakeAttachment{name: "b.csv.zip", contentType: "application/zip", data: zipOf(t, "b.csv", "b\n"), created: "2024-01-01 10:00:05"}))
	f.failPath = "ticket/1/attachments/2/content"
	res := run(t, f, nil, bottest.Case{AllowedErrors: 1, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 1)
	res.AssertLogMatches(t, `^Ticket 1 could not be handled and is left alone: request tracker: GET /rt/REST/1.0/ticket/1/attachments/2/content: HTTP status 500`, "WARNING")
	if tk := f.ticket(1); tk.owner != "Nobody" || tk.status != "new" {
		t.Errorf("ticket 1 owned by %q with status %q, want it untouched", tk.owner, tk.status)
	}
}

// TestNoMarking: without take_ticket and set_status the ticket is not
// changed (IntelMQ's tests run so).
func TestNoMarking(t *testing.T) {
	f := newFakeRT(t)
	f.add(7, intelmqTicket(fakeAttachment{name: "foobar.zip", contentType: "application/zip",
		data: zipOf(t, "foobar", "bar text\n"), created: "2024-01-01 10:00:05"}))
	res := run(t, f, map[string]any{"attachment_regex": `.*\.zip`, "take_ticket": false, "set_status": ""}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	for _, c := range f.callList() {
		if strings.HasSuffix(c, "/take") || strings.HasSuffix(c, "/edit") {
			t.Errorf("call %q, want no take and no edit", c)
		}
	}
}

// TestLoginFailed: wrong credentials fail the collection, which sends
// nothing and touches no ticket.
func TestLoginFailed(t *testing.T) {
	f := newFakeRT(t)
	f.add(7, intelmqTicket(fakeAttachment{name: "foobar.csv.zip", contentType: "application/zip",
		data: zipOf(t, "foobar", "bar text\n"), created: "2024-01-01 10:00:05"}))
	res := run(t, f, map[string]any{"password": "wrong"}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `login failed: request tracker: POST /rt/REST/1.0/: 401 Credentials required`, "ERROR")
	if calls := f.callList(); len(calls) != 1 {
		t.Errorf("calls %q, want the login only", calls)
	}
}

// TestSearchParameters: every search parameter becomes a condition, the
// relative age is counted back from the clock (the harness's epoch).
func TestSearchParameters(t *testing.T) {
	f := newFakeRT(t)
	run(t, f, map[string]any{"search_not_older_than": "2 days", "search_requestor": "autoreports@shadowserver.org",
		"search_subject_like": "[AT] Shadowserver AT", "search_subject_not_like": "O'Brien"}, bottest.Case{})
	want := "(Queue='Incident Reports') AND (Created>'2015-12-30 00:00:00') AND (Owner='nobody') AND " +
		"(Requestor='autoreports@shadowserver.org') AND (Status='new') AND (Subject LIKE '[AT] Shadowserver AT') AND " +
		`(Subject NOT LIKE 'O\'Brien')`
	if q := f.lastQuery(); q != want {
		t.Errorf("query\n%s\nwant\n%s", q, want)
	}
}

// TestValidate rejects parameters that cannot work.
func TestValidate(t *testing.T) {
	for name, more := range map[string]map[string]any{
		"bad uri":          {"uri": "rt.example.org/REST/1.0"},
		"no source":        {"attachment_regex": "", "url_regex": ""},
		"bad regex":        {"attachment_regex": "("},
		"bad age":          {"search_not_older_than": "yesterday"},
		"bad pattern":      {"extract_files": []any{"["}},
		"negative timeout": {"timeout": "-1s"},
	} {
		raw := map[string]any{"password": "x"}
		for k, v := range more {
			raw[k] = v
		}
		p, err := conformance.Params(Spec(), raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := New(&botapi.Context{}, p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, more)
		}
	}
}

// TestValidateParamError checks that a value one parameter refuses is a
// *botapi.ParamError naming that parameter, so that "intelmq validate"
// points at the value, and that a combination of parameters is not.
func TestValidateParamError(t *testing.T) {
	for _, tt := range []struct {
		more map[string]any
		want string // the parameter; "" for a combination
	}{
		{map[string]any{"uri": "ftp://x"}, "uri"},
		{map[string]any{"uri": "rt.example.org/REST/1.0"}, "uri"},
		{map[string]any{"attachment_regex": "("}, "attachment_regex"},
		{map[string]any{"url_regex": "[a-"}, "url_regex"},
		{map[string]any{"search_not_older_than": "yesterday"}, "search_not_older_than"},
		{map[string]any{"extract_files": []any{"["}}, "extract_files"},
		{map[string]any{"user": ""}, "user"},
		{map[string]any{"timeout": "-1s"}, "timeout"},
		{map[string]any{"max_size": -1}, "max_size"},
		{map[string]any{"retries": -1}, "retries"},
		{map[string]any{"attachment_regex": "", "url_regex": ""}, ""},
	} {
		raw := map[string]any{"password": "x"}
		for k, v := range tt.more {
			raw[k] = v
		}
		conformance.CheckParamError(t, fmt.Sprint(tt.more), conformance.ConfigError(t, Spec(), New, raw), tt.want)
	}
	p, err := conformance.Params(Spec(), map[string]any{"password": "x", "uri": "ftp://x"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(&botapi.Context{}, p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `uri: "ftp://x" is not an http or https URL such as https://rt.example.org/REST/1.0`
	if err := b.(botapi.Validator).Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want %s", err, want)
	}
}

func TestParseFields(t *testing.T) {
	got, err := parseFields("# comment\nid: ticket/5\nContent: line one\n         line two\nCc:\nCF.{Zone: x}: y\n")
	if err != nil {
		t.Fatal(err)
	}
	if got["id"] != "ticket/5" || got["Content"] != "line one\nline two" || got["Cc"] != "" || got["CF.{Zone: x}"] != "y" {
		t.Errorf("parseFields = %q", got)
	}
	if _, err := parseFields("   orphan continuation"); err == nil {
		t.Error("a continuation without a field was accepted")
	}
	if _, err := parseFields("no field name here"); err == nil {
		t.Error("a line without a field name was accepted")
	}
}

func TestClientErrors(t *testing.T) {
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		switch r.URL.Path {
		case "/REST/1.0/html":
			w.Write([]byte("<html>login page</html>")) //nolint:errcheck // a test server
		case "/REST/1.0/syntax":
			w.Write([]byte("RT/4.4.3 409 Syntax Error\n\n# bad\n")) //nolint:errcheck // a test server
		default:
			w.WriteHeader(nethttp.StatusForbidden)
		}
	}))
	defer srv.Close()
	cl, err := newClient(srv.URL+"/REST/1.0", "u", "p", srv.Client(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"html": "does not start with an RT status line", "syntax": "409 Syntax Error", "x": "HTTP status 403",
	} {
		_, err := cl.do(t.Context(), nethttp.MethodGet, sel, nil, nil)
		if !errors.Is(err, ErrRT) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an ErrRT with %q", sel, err, want)
		}
	}
}
