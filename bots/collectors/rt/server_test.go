// SPDX-License-Identifier: AGPL-3.0-or-later

package rt

import (
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeRT is an httptest server that answers the REST 1.0 calls the
// collector makes, in the form RT 4.4 gives them (the rt library's
// rest1.py parses the same texts). The answers modelled:
//
//   - POST <base>/ with the form fields user and pass: "RT/4.4.3 200 Ok",
//     a blank line and a session cookie; wrong credentials answer
//     "RT/4.4.3 401 Credentials required" with HTTP status 200, as RT does;
//     every other call without the cookie gets the same 401 answer;
//   - GET search/ticket?query=...&orderby=Created&format=l: the tickets in
//     the long format, records separated by "--" lines, or "No matching
//     results."; the query is recorded, and the tickets returned are the
//     unowned ones with status "new" (the fake does not parse TicketSQL);
//   - GET ticket/<id>/attachments: "id: ticket/<id>/attachments" and the
//     list "Attachments: <n>: <name> (<type> / <size>)," with
//     continuation lines indented;
//   - GET ticket/<id>/attachments/<n>: the attachment's metadata (id,
//     Subject, Creator, Created, Transaction, Parent, MessageId,
//     Filename, ContentType, ContentEncoding, Headers, Content);
//   - GET ticket/<id>/attachments/<n>/content: the status line, a blank
//     line and the bytes of the attachment as they are;
//   - GET ticket/<id>/history?format=l: the transactions in the long
//     format, the creation first, with its Content (the mail's text)
//     indented on continuation lines;
//   - POST ticket/<id>/take with content "Ticket: <id>\nAction: take":
//     "# Owner changed from Nobody to <user>";
//   - POST ticket/<id>/edit with content "Status: <status>":
//     "# Ticket <id> updated.";
//   - POST logout.
//
// An unknown ticket answers "# Ticket <id> does not exist.".
type fakeRT struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	tickets  map[int]*fakeTicket
	queries  []string
	calls    []string // "METHOD path", in order
	failPath string   // a path answered with HTTP 500
}

type fakeTicket struct {
	subject, queue, status, owner string
	requestors                    []string
	created                       string // "2006-01-02 15:04:05"
	text                          string // the content of the creating transaction
	attachments                   []fakeAttachment
}

type fakeAttachment struct {
	name, contentType string
	data              []byte
	created           string
}

const (
	rtUser     = "intelmq"
	rtPassword = "secret"
	rtCookie   = "RT_SID_test.80"
	rtOK       = "RT/4.4.3 200 Ok\n\n"
)

func newFakeRT(t *testing.T) *fakeRT {
	f := &fakeRT{t: t, tickets: map[int]*fakeTicket{}}
	f.srv = httptest.NewServer(nethttp.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// uri is the REST base URL, as the feeds write it (no trailing slash).
func (f *fakeRT) uri() string { return f.srv.URL + "/rt/REST/1.0" }

func (f *fakeRT) add(id int, tk *fakeTicket) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tickets[id] = tk
}

func (f *fakeRT) ticket(id int) fakeTicket {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.tickets[id]
}

func (f *fakeRT) callList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

var (
	attachmentPath = regexp.MustCompile(`^ticket/(\d+)/attachments(?:/(\d+)(/content)?)?$`)
	ticketPath     = regexp.MustCompile(`^ticket/(\d+)/(history|take|edit)$`)
)

func (f *fakeRT) serve(w nethttp.ResponseWriter, r *nethttp.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	sel, ok := strings.CutPrefix(r.URL.Path, "/rt/REST/1.0/")
	if !ok {
		nethttp.NotFound(w, r)
		return
	}
	f.calls = append(f.calls, r.Method+" "+sel)
	if f.failPath != "" && sel == f.failPath {
		nethttp.Error(w, "boom", nethttp.StatusInternalServerError)
		return
	}
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("fake RT: bad form: %v", err)
	}
	if sel == "" && r.Method == nethttp.MethodPost {
		if r.PostForm.Get("user") != rtUser || r.PostForm.Get("pass") != rtPassword {
			fmt.Fprint(w, "RT/4.4.3 401 Credentials required\n")
			return
		}
		nethttp.SetCookie(w, &nethttp.Cookie{Name: "RT_SID_test", Value: rtCookie, Path: "/rt"})
		fmt.Fprint(w, rtOK)
		return
	}
	if c, err := r.Cookie("RT_SID_test"); err != nil || c.Value != rtCookie {
		fmt.Fprint(w, "RT/4.4.3 401 Credentials required\n")
		return
	}
	if r.Header.Get("User-Agent") != defaultUserAgent {
		f.t.Errorf("fake RT: User-Agent %q", r.Header.Get("User-Agent"))
	}
	switch {
	case sel == "logout":
		fmt.Fprint(w, rtOK)
	case sel == "search/ticket":
		f.search(w, r)
	case attachmentPath.MatchString(sel):
		m := attachmentPath.FindStringSubmatch(sel)
		f.attachment(w, m[1], m[2], m[3] != "")
	case ticketPath.MatchString(sel):
		m := ticketPath.FindStringSubmatch(sel)
		id, _ := strconv.Atoi(m[1])
		tk := f.tickets[id]
		if tk == nil {
			fmt.Fprintf(w, "%s# Ticket %d does not exist.\n", rtOK, id)
			return
		}
		switch m[2] {
		case "history":
			f.history(w, r, id, tk)
		case "take":
			if want := fmt.Sprintf("Ticket: %d\nAction: take", id); r.PostForm.Get("content") != want {
				f.t.Errorf("fake RT: take content %q, want %q", r.PostForm.Get("content"), want)
			}
			fmt.Fprintf(w, "%s# Owner changed from %s to %s\n", rtOK, tk.owner, rtUser)
			tk.owner = rtUser
		case "edit":
			status, ok := strings.CutPrefix(r.PostForm.Get("content"), "Status: ")
			if !ok || r.Method != nethttp.MethodPost {
				fmt.Fprint(w, "RT/4.4.3 400 Bad Request\n")
				return
			}
			tk.status = status
			fmt.Fprintf(w, "%s# Ticket %d updated.\n", rtOK, id)
		}
	default:
		f.t.Errorf("fake RT: unexpected call %s %s", r.Method, sel)
		fmt.Fprint(w, "RT/4.4.3 400 Bad Request\n")
	}
}

func (f *fakeRT) search(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := r.URL.Query()
	if q.Get("orderby") != "Created" || q.Get("format") != "l" {
		f.t.Errorf("fake RT: search with orderby %q, format %q", q.Get("orderby"), q.Get("format"))
	}
	f.queries = append(f.queries, q.Get("query"))
	var ids []int
	for id, tk := range f.tickets {
		if tk.status == "new" && tk.owner == "Nobody" {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	if len(ids) == 0 {
		fmt.Fprint(w, rtOK+"No matching results.\n")
		return
	}
	var blocks []string
	for _, id := range ids {
		tk := f.tickets[id]
		blocks = append(blocks, fmt.Sprintf("id: ticket/%d\nQueue: %s\nOwner: %s\nCreator: RT_System\nSubject: %s\n"+
			"Status: %s\nPriority: 0\nInitialPriority: 0\nFinalPriority: 0\nRequestors: %s\nCc:\nAdminCc:\n"+
			"Created: Mon Jan 01 10:00:00 2024\nStarts: Not set\nStarted: Not set\nDue: Not set\nResolved: Not set\n"+
			"Told: Not set\nLastUpdated: Mon Jan 01 10:00:00 2024\nTimeEstimated: 0\nTimeWorked: 0\nTimeLeft: 0\n",
			id, tk.queue, tk.owner, tk.subject, tk.status, strings.Join(tk.requestors, ", ")))
	}
	fmt.Fprint(w, rtOK+strings.Join(blocks, "\n--\n\n"))
}

func (f *fakeRT) attachment(w nethttp.ResponseWriter, ticketID, attID string, content bool) {
	id, _ := strconv.Atoi(ticketID)
	tk := f.tickets[id]
	if tk == nil {
		fmt.Fprintf(w, "%s# Ticket %d does not exist.\n", rtOK, id)
		return
	}
	if attID == "" {
		var b strings.Builder
		fmt.Fprintf(&b, "%sid: ticket/%d/attachments\n", rtOK, id)
		for i, a := range tk.attachments {
			prefix := "Attachments: "
			if i > 0 {
				prefix = "             "
			}
			sep := ","
			if i == len(tk.attachments)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, "%s%d: %s (%s / %db)%s\n", prefix, i+1, a.name, a.contentType, len(a.data), sep)
		}
		fmt.Fprint(w, b.String())
		return
	}
	n, _ := strconv.Atoi(attID)
	if n < 1 || n > len(tk.attachments) {
		fmt.Fprintf(w, "%s# Invalid attachment id: %d\n", rtOK, n)
		return
	}
	a := tk.attachments[n-1]
	if content {
		fmt.Fprint(w, rtOK)
		w.Write(a.data) //nolint:errcheck // a test server
		return
	}
	fmt.Fprintf(w, "%sid: %d\nSubject: \nCreator: 12\nCreated: %s\nTransaction: 30\nParent: 0\nMessageId: \n"+
		"Filename: %s\nContentType: %s\nContentEncoding: base64\n\nHeaders: Content-Type: %s\n"+
		"         Content-Disposition: attachment; filename=\"%s\"\n\nContent: (binary)\n\n",
		rtOK, n, a.created, a.name, a.contentType, a.contentType, a.name)
}

func (f *fakeRT) history(w nethttp.ResponseWriter, r *nethttp.Request, id int, tk *fakeTicket) {
	if r.URL.Query().Get("format") != "l" {
		f.t.Errorf("fake RT: history format %q", r.URL.Query().Get("format"))
	}
	content := strings.ReplaceAll(tk.text, "\n", "\n         ")
	fmt.Fprintf(w, "%s# 2/2 (id/30/total)\n\nid: 30\nTicket: %d\nTimeTaken: 0\nType: Create\nField:\nOldValue:\n"+
		"NewValue:\nData:\nDescription: Ticket created by %s\nContent: %s\nCreator: %s\nCreated: %s\n"+
		"Attachments:\n             1: (Unnamed) (text/plain / 54b)\n\n--\n\n# 2/2 (id/31/total)\n\nid: 31\n"+
		"Ticket: %d\nTimeTaken: 0\nType: Status\nField: Status\nOldValue: new\nNewValue: new\nData:\n"+
		"Description: Status changed\nContent: This transaction appears to have no content\nCreator: RT_System\n"+
		"Created: 2030-01-01 00:00:00\nAttachments:\n",
		rtOK, id, strings.Join(tk.requestors, ","), content, strings.Join(tk.requestors, ","), tk.created, id)
}

// lastQuery returns the last search query.
func (f *fakeRT) lastQuery() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queries) == 0 {
		return ""
	}
	return f.queries[len(f.queries)-1]
}
