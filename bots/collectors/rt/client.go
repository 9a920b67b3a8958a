// SPDX-License-Identifier: AGPL-3.0-or-later

package rt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"regexp"
	"strconv"
	"strings"
)

// ErrRT is wrapped by the errors of the RT REST 1.0 client: a response
// that is not "200 Ok", or one that cannot be read.
var ErrRT = errors.New("request tracker")

// client speaks RT's REST 1.0 interface as the python rt library (rt.rest1)
// that IntelMQ uses does: a session cookie from a login POST, then GET and
// POST requests below the REST base URL. Every answer is a text starting
// with a status line such as "RT/4.4.3 200 Ok" and a blank line.
type client struct {
	base     *neturl.URL // ends with "/"
	http     *nethttp.Client
	maxSize  int64
	user     string
	password string
}

// newClient returns a client for the REST base URL uri (IntelMQ's uri,
// e.g. "https://rt.example.org/REST/1.0"); hc's cookie jar is replaced by
// a fresh one, so every collection logs in anew.
func newClient(uri, user, password string, hc *nethttp.Client, maxSize int64) (*client, error) {
	u, err := neturl.Parse(uri)
	if err != nil {
		return nil, fmt.Errorf("uri: %w", err)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := *hc
	c.Jar = jar
	return &client{base: u, http: &c, maxSize: maxSize, user: user, password: password}, nil
}

// statusLine matches the first line of an answer: "RT/4.4.3 200 Ok".
var statusLine = regexp.MustCompile(`^\S+ (\d{3}) ?(.*)$`)

// do sends one request and returns the body after the status line and the
// blank line that follows it. An HTTP status other than 200 or an RT
// status other than 200 is an error wrapping ErrRT.
func (c *client) do(ctx context.Context, method, selector string, query neturl.Values, form neturl.Values) ([]byte, error) {
	u := c.base.JoinPath(selector)
	if strings.HasSuffix(selector, "/") || selector == "" {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/"
	}
	if query != nil {
		u.RawQuery = query.Encode()
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := nethttp.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	selector = u.Path // for the errors
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrRT, method, selector, err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if c.maxSize > 0 {
		r = io.LimitReader(resp.Body, c.maxSize+4096) // the status line and the framing
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the answer to %s %s: %w", ErrRT, method, selector, err)
	}
	if c.maxSize > 0 && int64(len(data)) > c.maxSize+4095 {
		return nil, fmt.Errorf("%w: the answer to %s %s exceeds max_size %d", ErrRT, method, selector, c.maxSize)
	}
	if resp.StatusCode != nethttp.StatusOK {
		return nil, fmt.Errorf("%w: %s %s: HTTP status %d", ErrRT, method, selector, resp.StatusCode)
	}
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	m := statusLine.FindSubmatch(bytes.TrimRight(first, "\r"))
	if m == nil {
		return nil, fmt.Errorf("%w: %s %s: the answer does not start with an RT status line: %q", ErrRT, method, selector, truncate(first))
	}
	if string(m[1]) != "200" {
		return nil, fmt.Errorf("%w: %s %s: %s %s", ErrRT, method, selector, m[1], m[2])
	}
	rest = bytes.TrimPrefix(rest, []byte("\r"))
	rest = bytes.TrimPrefix(rest, []byte("\n"))
	return rest, nil
}

func truncate(b []byte) []byte {
	if len(b) > 80 {
		return b[:80]
	}
	return b
}

// login posts the credentials; RT answers with a session cookie.
func (c *client) login(ctx context.Context) error {
	_, err := c.do(ctx, nethttp.MethodPost, "", nil, neturl.Values{"user": {c.user}, "pass": {c.password}})
	if err != nil {
		return fmt.Errorf("login failed: %w", err)
	}
	return nil
}

// ticket is a ticket of a search result, with the fields the reports
// carry.
type ticket struct {
	ID         int
	Subject    string
	Queue      string
	Status     string
	Owner      string
	Requestors []string
}

// search runs a TicketSQL query, ordered by creation, in RT's long
// format ("format=l"): one block of "Field: value" lines per ticket,
// separated by "--" lines.
func (c *client) search(ctx context.Context, query string) ([]ticket, error) {
	body, err := c.do(ctx, nethttp.MethodGet, "search/ticket", neturl.Values{
		"query": {query}, "orderby": {"Created"}, "format": {"l"},
	}, nil)
	if err != nil {
		return nil, err
	}
	text := strings.ReplaceAll(string(body), "\r\n", "\n")
	if strings.HasPrefix(strings.TrimSpace(text), "No matching results.") || strings.TrimSpace(text) == "" {
		return nil, nil
	}
	if strings.HasPrefix(text, "Invalid query") {
		return nil, fmt.Errorf("%w: search: %s", ErrRT, firstLine(text))
	}
	var tickets []ticket
	for _, block := range splitBlocks(text) {
		fields, err := parseFields(block)
		if err != nil {
			return nil, fmt.Errorf("%w: search: %w", ErrRT, err)
		}
		if len(fields) == 0 {
			continue
		}
		id, ok := strings.CutPrefix(fields["id"], "ticket/")
		n, err := strconv.Atoi(id)
		if !ok || err != nil || n <= 0 {
			return nil, fmt.Errorf("%w: search: a result without a valid ticket id: %q", ErrRT, fields["id"])
		}
		tickets = append(tickets, ticket{
			ID: n, Subject: fields["Subject"], Queue: fields["Queue"], Status: fields["Status"],
			Owner: fields["Owner"], Requestors: splitList(fields["Requestors"]),
		})
	}
	return tickets, nil
}

// attachment is one entry of a ticket's attachment list.
type attachment struct {
	ID   int
	Name string
}

// attachmentLine matches an entry of the list "Attachments: 1: name (type / size),".
var attachmentLine = regexp.MustCompile(`^[^0-9]*(\d+): (.+) \((.+) / (.+)\),?$`)

// attachments lists the attachments of a ticket.
func (c *client) attachments(ctx context.Context, id int) ([]attachment, error) {
	body, err := c.do(ctx, nethttp.MethodGet, fmt.Sprintf("ticket/%d/attachments", id), nil, nil)
	if err != nil {
		return nil, err
	}
	var out []attachment
	for _, line := range strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n") {
		if strings.HasPrefix(line, "# ") && strings.Contains(line, "does not exist") {
			return nil, fmt.Errorf("%w: ticket %d: %s", ErrRT, id, strings.TrimPrefix(line, "# "))
		}
		m := attachmentLine.FindStringSubmatch(strings.TrimRight(line, " "))
		if m == nil || strings.HasPrefix(line, "id:") {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		out = append(out, attachment{ID: n, Name: m[2]})
	}
	return out, nil
}

// attachmentCreated returns the Created field of an attachment's
// metadata ("2024-01-02 03:04:05", in UTC).
func (c *client) attachmentCreated(ctx context.Context, ticketID, id int) (string, error) {
	body, err := c.do(ctx, nethttp.MethodGet, fmt.Sprintf("ticket/%d/attachments/%d", ticketID, id), nil, nil)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "Headers:") || strings.HasPrefix(line, "Content:") {
			break
		}
		if v, ok := strings.CutPrefix(line, "Created: "); ok {
			return strings.TrimSpace(v), nil
		}
		if strings.HasPrefix(line, "# ") {
			return "", fmt.Errorf("%w: ticket %d, attachment %d: %s", ErrRT, ticketID, id, strings.TrimPrefix(line, "# "))
		}
	}
	return "", nil
}

// attachmentContent downloads the content of an attachment: the bytes
// after the status line and its blank line, as they are.
func (c *client) attachmentContent(ctx context.Context, ticketID, id int) ([]byte, error) {
	body, err := c.do(ctx, nethttp.MethodGet, fmt.Sprintf("ticket/%d/attachments/%d/content", ticketID, id), nil, nil)
	if err != nil {
		return nil, err
	}
	if line := firstLine(string(body[:min(len(body), 200)])); strings.HasPrefix(line, "# Invalid attachment id") ||
		(strings.HasPrefix(line, "# ") && strings.HasSuffix(line, "does not exist.")) {
		return nil, fmt.Errorf("%w: ticket %d, attachment %d: %s", ErrRT, ticketID, id, strings.TrimPrefix(line, "# "))
	}
	if c.maxSize > 0 && int64(len(body)) > c.maxSize {
		return nil, fmt.Errorf("attachment %d has %d bytes, more than max_size %d", id, len(body), c.maxSize)
	}
	return body, nil
}

// historyEntry is a transaction of a ticket's history.
type historyEntry struct {
	Created string
	Content string
}

// firstHistory returns the first transaction of a ticket's history (its
// creation, with the text of the mail that created it), from the long
// format "ticket/<id>/history?format=l".
func (c *client) firstHistory(ctx context.Context, id int) (*historyEntry, error) {
	body, err := c.do(ctx, nethttp.MethodGet, fmt.Sprintf("ticket/%d/history", id), neturl.Values{"format": {"l"}}, nil)
	if err != nil {
		return nil, err
	}
	text := strings.ReplaceAll(string(body), "\r\n", "\n")
	for _, block := range splitBlocks(text) {
		fields, err := parseFields(block)
		if err != nil {
			return nil, fmt.Errorf("%w: history of ticket %d: %w", ErrRT, id, err)
		}
		if len(fields) == 0 {
			continue
		}
		return &historyEntry{Created: fields["Created"], Content: fields["Content"]}, nil
	}
	return nil, fmt.Errorf("%w: ticket %d has no history: %q", ErrRT, id, truncate(body))
}

// setStatus changes the status of a ticket.
func (c *client) setStatus(ctx context.Context, id int, status string) error {
	body, err := c.do(ctx, nethttp.MethodPost, fmt.Sprintf("ticket/%d/edit", id), nil,
		neturl.Values{"content": {"Status: " + status}})
	if err != nil {
		return err
	}
	if line := firstLine(string(body)); line != "" && !updated.MatchString(line) {
		return fmt.Errorf("%w: setting the status of ticket %d to %q: %s", ErrRT, id, status, strings.TrimPrefix(line, "# "))
	}
	return nil
}

// updated is RT's answer to a successful edit.
var updated = regexp.MustCompile(`^# Ticket [0-9]+ updated\.$`)

// take makes the logged-in user the owner of a ticket.
func (c *client) take(ctx context.Context, id int) error {
	_, err := c.do(ctx, nethttp.MethodPost, fmt.Sprintf("ticket/%d/take", id), nil,
		neturl.Values{"content": {fmt.Sprintf("Ticket: %d\nAction: take", id)}})
	return err
}

// logout ends the session; errors are of no consequence.
func (c *client) logout(ctx context.Context) error {
	_, err := c.do(ctx, nethttp.MethodPost, "logout", nil, neturl.Values{})
	return err
}

// splitBlocks splits a long-format answer into its records, separated by
// lines "--".
func splitBlocks(text string) []string {
	return strings.Split(text, "\n--\n")
}

// parseFields parses the "Field: value" lines of one record as the rt
// library does: comments and blank lines are skipped, an indented line
// continues the previous field (joined with a newline), "Field:" alone
// starts an empty field.
func parseFields(block string) (map[string]string, error) {
	fields := map[string][]string{}
	key := ""
	for _, line := range strings.Split(block, "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			key = ""
		case line[0] == ' ' || line[0] == '\t':
			if key == "" {
				return nil, errors.New("a continuation line without a field")
			}
			fields[key] = append(fields[key], strings.TrimLeft(line, " \t"))
		default:
			sep := ": "
			if strings.HasPrefix(line, "CF.{") {
				sep = "}: "
			}
			k, v, ok := strings.Cut(line, sep)
			switch {
			case ok:
				if sep == "}: " {
					k += "}"
				}
				key = k
				fields[key] = []string{v}
			case strings.HasSuffix(line, ":"):
				key = strings.TrimSuffix(line, ":")
				fields[key] = nil
			default:
				return nil, fmt.Errorf("a line without a field name: %q", truncate([]byte(line)))
			}
		}
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[k] = strings.Join(v, "\n")
	}
	return out, nil
}

// splitList splits RT's comma-separated people list.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimRight(line, "\r")
}
