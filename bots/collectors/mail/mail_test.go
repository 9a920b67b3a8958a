// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// foobarMail is the header IntelMQ's test mails share, as IntelMQ's
// collectors write it into reports.
func foobarMail(subject string) map[string]any {
	return map[string]any{
		"feed.name": "IMAP Feed", "feed.accuracy": 100.0,
		"extra.email_from":       "wagner@cert.at",
		"extra.email_message_id": "<07ce0153-060b-f48d-73d9-d92a20b3b3aa@cert.at>",
		"extra.email_subject":    subject,
		"extra.email_date":       "Tue, 3 Sep 2019 16:57:40 +0200",
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// TestAttachIntelMQMails follows IntelMQ's attachment collector tests on
// its mails, over IMAPS: the zip attachment is unpacked (extra.file_name
// is the member), the mail with the zip is marked read, the others (a
// text attachment that does not match, an inline body without file name)
// stay unread, and a second collection sends nothing.
func TestAttachIntelMQMails(t *testing.T) {
	s := startIMAP(t, modeTLS)
	s.appendFile("foobarzip.eml")
	s.appendFile("text_attachment.eml")
	s.appendFile("fake_attachment.eml")
	res := s.run(AttachSpec(), NewAttach, map[string]any{"attach_regex": ".*zip"}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, with(foobarMail("foobar zip"), "raw", b64("bar text\n"), "extra.file_name", "foobar"), true, "")
	res.AssertLogMatches(t, "Email report read.", "INFO")
	if n := s.unseen(); n != 2 {
		t.Errorf("%d unread mails after the collection, want 2 (only the zip mail is read)", n)
	}
	res = s.run(AttachSpec(), NewAttach, map[string]any{"attach_regex": ".*zip"}, bottest.Case{})
	res.AssertOutputLen(t, "", 0)
}

// TestAttachText: a text attachment is sent as it is, named after the
// attachment (IntelMQ's test_text_attachment).
func TestAttachText(t *testing.T) {
	s := startIMAP(t, modeTLS)
	s.appendFile("text_attachment.eml")
	s.appendFile("fake_attachment.eml")
	res := s.run(AttachSpec(), NewAttach, map[string]any{"attach_regex": `.*\.txt$`}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, with(foobarMail("foobar zip"), "raw", b64("bar text\n"), "extra.file_name", "foobar.txt"), true, "")
}

// TestAttachExtractFiles: extract_files picks members of a zip attachment.
func TestAttachExtractFiles(t *testing.T) {
	s := startIMAP(t, modeTLS)
	s.appendMail(multipartMail("Daily report", "reports@example.org",
		attachment{"report.zip", "application/zip", zipOf(t, "a.csv", "1,2\n", "b.txt", "note\n", "c.csv", "3,4\n")}))
	res := s.run(AttachSpec(), NewAttach, map[string]any{"attach_regex": `\.zip$`, "extract_files": []any{"*.csv"},
		"subject_regex": "^Daily"}, bottest.Case{})
	res.AssertOutputLen(t, "", 2)
	for i, f := range []struct{ name, raw string }{{"a.csv", "1,2\n"}, {"c.csv", "3,4\n"}} {
		res.AssertMessageEqual(t, i, map[string]any{"feed.name": "IMAP Feed", "feed.accuracy": 100.0,
			"extra.email_from": "reports@example.org", "extra.email_subject": "Daily report",
			"extra.email_message_id": "<1@example.org>", "extra.email_date": "Wed, 4 Sep 2024 10:00:00 +0000",
			"extra.file_name": f.name, "raw": b64(f.raw)}, true, "")
	}
}

// TestAttachCorrupt: a matching attachment that is not a valid archive
// fails its mail, which stays unread and sends nothing; the other mails
// are handled and the collection then fails.
func TestAttachCorrupt(t *testing.T) {
	s := startIMAP(t, modeTLS)
	s.appendMail(multipartMail("broken", "a@example.org", attachment{"x.zip", "application/zip", "PK\x03\x04 not a zip at all"}))
	s.appendMail(multipartMail("good", "a@example.org", attachment{"y.zip", "application/zip", zipOf(t, "y.csv", "ok\n")}))
	res := s.run(AttachSpec(), NewAttach, map[string]any{"attach_regex": `\.zip$`},
		bottest.Case{AllowedErrors: 1, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 1)
	if got := res.Messages("")[0].GetString("extra.file_name"); got != "y.csv" {
		t.Errorf("report of %q, want y.csv", got)
	}
	res.AssertLogMatches(t, `Mail 1 \(subject 'broken'\) could not be handled and stays unread: .*cannot extract archive`, "WARNING")
	res.AssertLogMatches(t, "1 of 2 mails could not be handled and stay unread", "ERROR")
	if n := s.unseen(); n != 1 {
		t.Errorf("%d unread mails, want 1 (the broken one)", n)
	}
}

// TestBody sends the text bodies, over STARTTLS (the test server refuses
// LOGIN before it): both types by default, in content_types' order.
func TestBody(t *testing.T) {
	s := startIMAP(t, modeSTARTTLS)
	s.appendFile("foobartxt.eml")
	s.appendFile("text_attachment.eml")
	res := s.run(BodySpec(), NewBody, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 2)
	res.AssertMessageEqual(t, 0, with(foobarMail("foobar txt"), "raw", b64("Please look at http://localhost/foobar.txt\r\n")), true, "")
	if raw, _ := res.Messages("")[1].RawText(); !strings.Contains(raw, "Please look at the attachment<br>") {
		t.Errorf("second report %q, want the HTML body", raw)
	}
	if n := s.unseen(); n != 0 {
		t.Errorf("%d unread mails, want 0", n)
	}

	s = startIMAP(t, modeSTARTTLS)
	s.appendFile("foobartxt.eml")
	s.appendFile("text_attachment.eml")
	res = s.run(BodySpec(), NewBody, map[string]any{"content_types": "html"}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	if n := s.unseen(); n != 1 {
		t.Errorf("content_types html: %d unread mails, want 1 (the mail without HTML body)", n)
	}
}

// TestBodyCharsets: bodies and subjects in other charsets and transfer
// encodings are decoded to UTF-8.
func TestBodyCharsets(t *testing.T) {
	s := startIMAP(t, modePlain)
	s.appendMail("From: =?iso-8859-1?q?J=F6rg?= <joerg@example.org>\n" +
		"Subject: =?iso-8859-1?q?Gr=FC=DFe?= aus\n  Wien\n" +
		"Date: Wed, 4 Sep 2024 10:00:00 +0000\n" +
		"Content-Type: text/plain; charset=iso-8859-1\n" +
		"Content-Transfer-Encoding: quoted-printable\n\n" +
		"Gr=FC=DFe, 192.0.2.1=\n is bad\n")
	res := s.run(BodySpec(), NewBody, map[string]any{"subject_regex": "Grüße aus Wien"}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "IMAP Feed", "feed.accuracy": 100.0,
		"extra.email_from": "joerg@example.org", "extra.email_subject": "Grüße aus Wien",
		"extra.email_date": "Wed, 4 Sep 2024 10:00:00 +0000", "raw": b64("Grüße, 192.0.2.1 is bad\r\n")}, true, "")
}

// TestFilters: subject_regex, sent_from and sent_to select the mails;
// the others stay unread for other collectors.
func TestFilters(t *testing.T) {
	s := startIMAP(t, modeTLS)
	s.appendMail(textMail("Report 1", "feed@example.org", "cert@example.com", "one\n"))
	s.appendMail(textMail("Report 2", "other@example.net", "cert@example.com", "two\n"))
	s.appendMail(textMail("Hello", "feed@example.org", "cert@example.com", "three\n"))
	s.appendMail(textMail("Report 4", "feed@example.org", "abuse@example.com", "four\n"))
	s.appendMail(textMail("Report 5", "feed@example.org", "cert@example.com", "five\n"), imap.FlagSeen)
	res := s.run(BodySpec(), NewBody, map[string]any{"subject_regex": "^Report", "sent_from": "feed@example.org",
		"sent_to": "cert@example.com"}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	if raw, _ := res.Messages("")[0].RawText(); raw != "one\r\n" {
		t.Errorf("report %q, want the first mail's body", raw)
	}
	if n := s.unseen(); n != 3 {
		t.Errorf("%d unread mails, want 3", n)
	}
	res.AssertLogMatches(t, "Message with date .* skipped because subject 'Hello' does not match.", "DEBUG")
}

// TestURL downloads the URL of each mail's text body (IntelMQ's
// collector_mail_url test, with the test server's URL): feed.url and
// extra.file_name come from the download. A 404 is logged and the mail
// is read; a server error leaves the mail unread and fails the collection.
func TestURL(t *testing.T) {
	var gets atomic.Int32
	web := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		gets.Add(1)
		switch r.URL.Path {
		case "/foobar.txt":
			fmt.Fprint(w, "bar text\n")
		case "/download":
			w.Header().Set("Content-Disposition", `attachment; filename="list.csv"`)
			fmt.Fprint(w, "a,b\n")
		case "/down":
			w.WriteHeader(nethttp.StatusServiceUnavailable)
		default:
			nethttp.NotFound(w, r)
		}
	}))
	defer web.Close()
	raw, err := os.ReadFile(filepath.Join("testdata", "foobartxt.eml"))
	if err != nil {
		t.Fatal(err)
	}
	s := startIMAP(t, modePlain)
	s.appendMail(strings.ReplaceAll(string(raw), "http://localhost", web.URL))
	s.appendMail(textMail("named", "a@example.org", "b@example.org", "See "+web.URL+"/download?id=3 for the list.\n"))
	s.appendMail(textMail("gone", "a@example.org", "b@example.org", "See "+web.URL+"/gone.txt\n"))
	s.appendMail(textMail("down", "a@example.org", "b@example.org", "See "+web.URL+"/down\n"))
	s.appendMail(textMail("no url", "a@example.org", "b@example.org", "Nothing here.\n"))
	res := s.run(URLSpec(), NewURL, map[string]any{"url_regex": `http://127\.0\.0\.1:\d+/\S*`, "retries": 0},
		bottest.Case{AllowedErrors: 2, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 2)
	res.AssertMessageEqual(t, 0, with(foobarMail("foobar txt"), "raw", b64("bar text\n"),
		"feed.url", web.URL+"/foobar.txt", "extra.file_name", "foobar.txt"), true, "")
	res.AssertMessageEqual(t, 1, map[string]any{"feed.name": "IMAP Feed", "feed.accuracy": 100.0,
		"extra.email_from": "a@example.org", "extra.email_subject": "named", "extra.email_date": "Wed, 4 Sep 2024 10:00:00 +0000",
		"feed.url": web.URL + "/download?id=3", "extra.file_name": "list.csv", "raw": b64("a,b\n")}, true, "")
	res.AssertLogMatches(t, "HTTP response status code was 404", "ERROR")
	res.AssertLogMatches(t, `Mail 4 \(subject 'down'\) could not be handled and stays unread: .*503`, "WARNING")
	if n := s.unseen(); n != 2 {
		t.Errorf("%d unread mails, want 2 (the failed download and the mail without URL)", n)
	}
	if n := gets.Load(); n != 4 {
		t.Errorf("%d downloads, want 4", n)
	}
}

// TestReadOnly: with mail_mark_as_read = false the folder is not changed;
// the mails handled are remembered in the state directory, so the next
// run sends only new mails, also after a restart.
func TestReadOnly(t *testing.T) {
	s := startIMAP(t, modeTLS)
	for i := 1; i <= 3; i++ {
		s.appendMail(textMail(fmt.Sprintf("Report %d", i), "a@example.org", "b@example.org", fmt.Sprintf("body %d\n", i)))
	}
	s.appendMail(textMail("Other", "a@example.org", "b@example.org", "other\n"))
	s.appendMail(textMail("Report 5", "a@example.org", "b@example.org", "body 5\n"), imap.FlagSeen)
	dir := t.TempDir()
	params := map[string]any{"mail_mark_as_read": false, "subject_regex": "^Report"}
	res := s.run(BodySpec(), NewBody, params, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 4) // the read mail too: read-only mode reads all
	if n := s.unseen(); n != 4 {
		t.Errorf("%d unread mails, want the 4 unread before", n)
	}
	res = s.run(BodySpec(), NewBody, params, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 0)
	s.appendMail(textMail("Report 6", "a@example.org", "b@example.org", "body 6\n"))
	res = s.run(BodySpec(), NewBody, params, bottest.Case{StateDir: dir})
	res.AssertOutputLen(t, "", 1)
	if raw, _ := res.Messages("")[0].RawText(); raw != "body 6\r\n" {
		t.Errorf("report %q, want the new mail", raw)
	}
	state, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(state), `"uids":[[1,6]]`) {
		t.Errorf("state %s, want the UIDs 1 to 6 as one range", state)
	}
}

// TestLoginFailure: wrong credentials fail the collection with an error
// that says so.
func TestLoginFailure(t *testing.T) {
	s := startIMAP(t, modeTLS)
	s.appendMail(textMail("Report", "a@example.org", "b@example.org", "x\n"))
	res := s.run(BodySpec(), NewBody, map[string]any{"mail_password": "wrong"}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `logging in as 'collector'|logging in as "collector"`, "ERROR")
}

// TestUntrustedCertificate: without ca_file the test certificate is not
// trusted and nothing is read; verify_cert = false accepts it.
func TestUntrustedCertificate(t *testing.T) {
	s := startIMAP(t, modeTLS)
	s.appendMail(textMail("Report", "a@example.org", "b@example.org", "x\n"))
	res := s.run(BodySpec(), NewBody, map[string]any{"ca_file": ""}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, "TLS handshake", "ERROR")
	res = s.run(BodySpec(), NewBody, map[string]any{"ca_file": "", "verify_cert": false}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
}

// TestMaxSize: a mail larger than max_size stays unread and fails the
// collection.
func TestMaxSize(t *testing.T) {
	s := startIMAP(t, modeTLS)
	s.appendMail(textMail("Big", "a@example.org", "b@example.org", strings.Repeat("x", 5000)+"\n"))
	s.appendMail(textMail("Small", "a@example.org", "b@example.org", "y\n"))
	res := s.run(BodySpec(), NewBody, map[string]any{"max_size": 2000}, bottest.Case{AllowedErrors: 1, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 1)
	res.AssertLogMatches(t, "more than max_size 2000", "WARNING")
	if n := s.unseen(); n != 1 {
		t.Errorf("%d unread mails, want 1", n)
	}
}

func TestValidate(t *testing.T) {
	base := map[string]any{"mail_host": "imap.example.org", "mail_user": "u", "mail_password": "p"}
	for _, tt := range []struct {
		spec   botapi.Spec
		newBot botapi.Constructor
		params map[string]any
		want   string
	}{
		{AttachSpec(), NewAttach, map[string]any{"attach_regex": "("}, "attach_regex"},
		{AttachSpec(), NewAttach, map[string]any{"attach_regex": ""}, "attach_regex: must not be empty"},
		{AttachSpec(), NewAttach, map[string]any{"extract_files": []any{"["}}, "extract_files"},
		{BodySpec(), NewBody, map[string]any{"subject_regex": "a(?=b)"}, "subject_regex"},
		{BodySpec(), NewBody, map[string]any{"content_types": "plain,csv"}, `"csv" is neither`},
		{URLSpec(), NewURL, map[string]any{"url_regex": ""}, "url_regex: must not be empty"},
		{URLSpec(), NewURL, map[string]any{"retries": -1}, "retries"},
		{BodySpec(), NewBody, map[string]any{"mail_port": 70000}, "mail_port"},
		{BodySpec(), NewBody, map[string]any{"folder": ""}, "folder"},
		{BodySpec(), NewBody, map[string]any{"max_size": -1}, "max_size"},
	} {
		p, err := conformance.Params(tt.spec, with(base, flatten(tt.params)...))
		if err != nil {
			t.Fatal(err)
		}
		bot, err := tt.newBot(&botapi.Context{}, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := bot.(*Collector).Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %v: Validate = %v, want %q", tt.spec.ID, tt.params, err, tt.want)
		}
	}
	p, _ := conformance.Params(BodySpec(), base)
	bot, _ := NewBody(&botapi.Context{}, p)
	if err := bot.(*Collector).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	if c := bot.(*Collector); c.imap.port != 993 || c.imap.folder != "INBOX" {
		t.Errorf("defaults: port %d, folder %q; want 993 and INBOX", c.imap.port, c.imap.folder)
	}
}

func TestSpecs(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []botapi.Spec{AttachSpec(), BodySpec(), URLSpec()} {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.ID, err)
		}
	}
}

func flatten(m map[string]any) []any {
	var out []any
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

// attachment is a part of a test mail.
type attachment struct {
	name, contentType, data string
}

// multipartMail writes a mail with a text body and base64 attachments.
func multipartMail(subject, from string, atts ...attachment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\nTo: cert@example.com\nSubject: %s\nMessage-ID: <1@example.org>\n", from, subject)
	b.WriteString("Date: Wed, 4 Sep 2024 10:00:00 +0000\nMIME-Version: 1.0\n")
	b.WriteString("Content-Type: multipart/mixed; boundary=\"XXsep\"\n\n--XXsep\nContent-Type: text/plain\n\nSee the attachments.\n")
	for _, a := range atts {
		fmt.Fprintf(&b, "--XXsep\nContent-Type: %s; name=\"%s\"\nContent-Transfer-Encoding: base64\n", a.contentType, a.name)
		fmt.Fprintf(&b, "Content-Disposition: attachment; filename=\"%s\"\n\n", a.name)
		enc := base64.StdEncoding.EncodeToString([]byte(a.data))
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\n")
	}
	b.WriteString("--XXsep--\n")
	return b.String()
}

// textMail writes a plain text mail.
func textMail(subject, from, to, body string) string {
	return fmt.Sprintf("From: %s\nTo: %s\nSubject: %s\nDate: Wed, 4 Sep 2024 10:00:00 +0000\n\n%s", from, to, subject, body)
}

// zipOf returns a zip archive of name, content pairs.
func zipOf(t *testing.T, kv ...string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(kv); i += 2 {
		w, err := zw.Create(kv[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(kv[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestSilentServer: a server that accepts the connection and never
// answers cannot block the collector: the collection fails after timeout.
func TestSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close() // held open, silent, until the test ends
		}
	}()
	p, err := conformance.Params(BodySpec(), map[string]any{"mail_host": "127.0.0.1",
		"mail_port": ln.Addr().(*net.TCPAddr).Port, "mail_user": "u", "mail_password": "p",
		"mail_ssl": false, "timeout": "300ms"})
	if err != nil {
		t.Fatal(err)
	}
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindCollector, New: NewBody, Params: p,
		Feed: &botapi.Feed{Name: "IMAP Feed"}, AllowedErrors: 1, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, "no answer within 300ms", "ERROR")
}
