// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/google/go-cmp/cmp"
)

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

// summary is what a test compares of a parsed mail.
func summary(m *parsedMail) []string {
	var out []string
	for _, p := range m.Plain {
		out = append(out, fmt.Sprintf("plain %q %v", p.Data, p.Err != nil))
	}
	for _, p := range m.HTML {
		out = append(out, fmt.Sprintf("html %q %v", p.Data, p.Err != nil))
	}
	for _, p := range m.Attachments {
		out = append(out, fmt.Sprintf("attachment %s %q %v", p.Name, p.Data, p.Err != nil))
	}
	return out
}

// TestParseMail files parts as IntelMQ's mail library does: inline text
// parts are bodies, parts with a disposition are attachments, attached
// mails are walked into.
func TestParseMail(t *testing.T) {
	tests := []struct {
		name string
		mail string
		want []string
	}{
		{"single part text", "Subject: x\n\nhello\n", []string{`plain "hello\r\n" false`}},
		{"single part html", "Content-Type: text/html\n\n<p>hi</p>", []string{`html "<p>hi</p>" false`}},
		{"text attachment and inline text with a name",
			"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\nContent-Disposition: inline; filename=a.txt\n\ninline\n" +
				"--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=b.txt\n\nattached\n--b--\n",
			[]string{`plain "inline" false`, `attachment b.txt "attached" false`}},
		{"name from Content-Type, RFC 2231 and RFC 2047 names",
			"Content-Type: multipart/mixed; boundary=b\n\n" +
				"--b\nContent-Type: application/octet-stream; name=\"one.bin\"\nContent-Disposition: attachment\n\n1\n" +
				"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename*=utf-8''%C3%BCber.csv\n\n2\n" +
				"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"=?utf-8?q?gr=C3=BC=C3=9Fe.csv?=\"\n\n3\n" +
				"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=C:\\tmp\\x y.csv\n\n4\n" +
				"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment\n\n5\n--b--\n",
			[]string{`attachment one.bin "1" false`, `attachment über.csv "2" false`, `attachment grüße.csv "3" false`,
				`attachment x y.csv "4" false`, `attachment  "5" false`}},
		{"nested alternative and attached mail",
			"Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/alternative; boundary=inner\n\n" +
				"--inner\nContent-Type: text/plain; charset=utf-8\n\nplain\n--inner\nContent-Type: text/html\n\n<b>html</b>\n--inner--\n" +
				"--outer\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\nSubject: inner\nContent-Type: multipart/mixed; boundary=x\n\n" +
				"--x\nContent-Type: text/csv\nContent-Disposition: attachment; filename=r.csv\nContent-Transfer-Encoding: base64\n\nYSxi\nCg==\n--x--\n" +
				"--outer--\n",
			[]string{`plain "plain" false`, `html "<b>html</b>" false`, `attachment r.csv "a,b\n" false`}},
		{"bad base64 is an error of its part",
			"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/zip\nContent-Disposition: attachment; filename=z.zip\nContent-Transfer-Encoding: base64\n\n!!!!\n--b--\n",
			[]string{`attachment z.zip "" true`}},
		{"base64 without padding", "Content-Transfer-Encoding: base64\n\nYWJj\nZA\n", []string{`plain "abcd" false`}},
		{"invalid quoted-printable is kept", "Content-Transfer-Encoding: quoted-printable\n\na=ZZb\n", []string{`plain "a=ZZb\r\n" false`}},
		{"unknown charset is kept", "Content-Type: text/plain; charset=x-martian\n\nabc", []string{`plain "abc" false`}},
		{"windows-1252 and koi8-r", "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: quoted-printable\n\n=80 5\n" +
			"--b\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n08/X\n--b--\n",
			[]string{`plain "€ 5" false`, `plain "сов" false`}},
		{"multipart without its closing boundary", "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\ntext\n",
			[]string{`plain "text" false`}}, // the reader holds back the line break before a boundary
		{"malformed content type is text", "Content-Type: ;;;\n\nx", []string{`plain "x" false`}},
	}
	for _, tt := range tests {
		m, err := parseMail(crlf(tt.mail))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, summary(m)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestHeaderInfo: the Report fields of a header.
func TestHeaderInfo(t *testing.T) {
	h, _, err := readHeader(crlf("From: \"Feed, Inc.\" <feed@example.org>, =?utf-8?q?J=C3=B6rg?= <j@example.org>\n" +
		"Subject: =?utf-8?b?R3LDvMOfZQ==?=\n  [CB-Report#1]\nMessage-ID:  <a@b>\nDate: Tue, 3 Sep 2019 16:57:40 +0200\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := headerInfo{Subject: "Grüße [CB-Report#1]", From: "feed@example.org,j@example.org", MessageID: "<a@b>",
		Date: "Tue, 3 Sep 2019 16:57:40 +0200"}
	if diff := cmp.Diff(want, infoOf(h)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	h, _, _ = readHeader(crlf("From: not an address\n"))
	if got := infoOf(h).From; got != "not an address" {
		t.Errorf("unparsable From: %q, want the header as it is", got)
	}
	if _, _, err := readHeader([]byte("no colon here\r\n\r\n")); err == nil {
		t.Error("a malformed header parsed")
	}
}

// TestSeenState: UIDs are kept as merged ranges and survive a reload; a
// new UIDVALIDITY forgets them.
func TestSeenState(t *testing.T) {
	path := t.TempDir() + "/state.json"
	st := loadSeenState(path, discard())
	st.use("INBOX", 7)
	for _, u := range []imap.UID{5, 1, 3, 2, 9, 4, 10, 4} {
		if err := st.add(u); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([][2]uint32{{1, 5}, {9, 10}}, st.data.UIDs); diff != "" {
		t.Errorf("ranges (-want +got):\n%s", diff)
	}
	st = loadSeenState(path, discard())
	st.use("INBOX", 7)
	got := st.unhandled([]imap.UID{1, 5, 6, 8, 9, 11})
	if diff := cmp.Diff([]imap.UID{6, 8, 11}, got); diff != "" {
		t.Errorf("after reload, unhandled (-want +got):\n%s", diff)
	}
	st.use("INBOX", 8)
	if len(st.unhandled([]imap.UID{1, 2})) != 2 {
		t.Error("a new UIDVALIDITY kept the old UIDs")
	}
	for _, bad := range []string{"{", `{"folder":"INBOX","uid_validity":7,"uids":[[5,1]]}`, `{"uids":[[1,3],[4,5]]}`} {
		writeFile(t, path, bad)
		st = loadSeenState(path, discard())
		if len(st.data.UIDs) != 0 {
			t.Errorf("state %s was accepted", bad)
		}
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
