// SPDX-License-Identifier: AGPL-3.0-or-later

package fireeye

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	neturl "net/url"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

const (
	// apiRoot is the path of the appliance's Web Services API.
	apiRoot = "/wsapis/v2.0.0/"
	// tokenHeader carries the session token: in the answer to the login
	// and in every later request.
	tokenHeader = "X-FeApi-Token"
	// firstRetryDelay is the wait before the first retry; it doubles.
	firstRetryDelay = time.Second
	// logoutTimeout bounds the logout, which runs also when the
	// collection was cancelled.
	logoutTimeout = 10 * time.Second
)

// ErrLoginRefused is wrapped by the error of a login the appliance
// refused (HTTP 401 or 403): the credentials need fixing.
var ErrLoginRefused = errors.New("the appliance refused the login")

// session speaks the appliance's Web Services API: a login with HTTP
// basic authentication returns a token that authenticates the other
// requests until the logout.
type session struct {
	base      string // "https://<host>/wsapis/v2.0.0/"
	client    *nethttp.Client
	user      string
	password  string
	userAgent string
	retries   int
	maxSize   int64
	timeout   time.Duration
	clock     botapi.Clock
	log       *slog.Logger
}

// newHTTPClient builds the client of the appliance's API from the http
// collector's settings: TLS (httpcollector.TLSConfig and the client
// certificate), proxy and timeouts. httpcollector.Client cannot serve
// here: it only GETs, and its headers are fixed when it is built, while
// the login and logout are POSTs, the token changes with every
// collection and the two downloads need different Accept headers.
func newHTTPClient(cfg httpcollector.ClientConfig) (*nethttp.Client, error) {
	transport, err := httpcollector.NewTransport(cfg)
	if err != nil {
		return nil, err
	}
	return &nethttp.Client{
		Timeout:   cfg.Timeout,
		Transport: transport,

		// A redirect would carry the token elsewhere; the API gives none.
		CheckRedirect: func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse },
	}, nil
}

// request is one call of the API.
type request struct {
	method string
	url    string
	token  string // the X-FeApi-Token header; empty for the login
	accept string // the Accept header; empty leaves Go's default
	basic  bool   // send the credentials (the login only)
}

// answer is a 2xx response.
type answer struct {
	header nethttp.Header
	body   []byte
}

// do makes the request, retrying network errors, timeouts, HTTP 429 and
// 5xx retries times with a doubling delay, as the http collector does.
// Another status than 2xx fails at once with a *httpcollector.StatusError.
func (s *session) do(ctx context.Context, r request, retries int) (*answer, error) {
	delay := firstRetryDelay
	for attempt := 0; ; attempt++ {
		a, retry, err := s.once(ctx, r)
		if err == nil {
			return a, nil
		}
		if !retry || attempt >= retries || ctx.Err() != nil {
			return nil, err
		}
		s.log.Warn(fmt.Sprintf("Request to the appliance failed, retrying (%d of %d): %v.", attempt+1, retries, err))
		if err := s.clock.Sleep(ctx, delay); err != nil {
			return nil, err
		}
		delay *= 2
	}
}

// once makes one attempt; retry says whether a failure may be retried.
func (s *session) once(ctx context.Context, r request) (a *answer, retry bool, err error) {
	req, err := nethttp.NewRequestWithContext(ctx, r.method, r.url, nil)
	if err != nil {
		return nil, false, fmt.Errorf("invalid URL %q: %w", r.url, err)
	}
	if s.userAgent != "" {
		req.Header.Set("User-Agent", s.userAgent)
	}
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	if r.token != "" {
		req.Header.Set(tokenHeader, r.token)
	}
	if r.basic {
		req.SetBasicAuth(s.user, s.password)
	}
	res, err := s.client.Do(req)
	if err != nil {
		return nil, true, fmt.Errorf("%s %s: %w", r.method, r.url, unwrapURLError(err))
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // lets the connection be reused
		retry := res.StatusCode >= 500 || res.StatusCode == nethttp.StatusTooManyRequests
		return nil, retry, &httpcollector.StatusError{URL: r.url, Status: res.StatusCode}
	}
	var body io.Reader = res.Body
	if s.maxSize > 0 {
		body = io.LimitReader(res.Body, s.maxSize+1)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, true, fmt.Errorf("reading the answer to %s %s: %w", r.method, r.url, err)
	}
	if s.maxSize > 0 && int64(len(data)) > s.maxSize {
		return nil, false, fmt.Errorf("the answer to %s %s exceeds max_size (%d bytes)", r.method, r.url, s.maxSize)
	}
	return &answer{header: res.Header, body: data}, false, nil
}

// unwrapURLError drops the method and URL that net/http puts in front of
// a transport error, as the caller names them already.
func unwrapURLError(err error) error {
	var ue *neturl.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// login opens a session and returns its token. A refused login (HTTP 401
// or 403) wraps ErrLoginRefused and names the parameters to fix.
func (s *session) login(ctx context.Context) (string, error) {
	a, err := s.do(ctx, request{method: nethttp.MethodPost, url: s.base + "auth/login", basic: true}, s.retries)
	if err != nil {
		var se *httpcollector.StatusError
		if errors.As(err, &se) && (se.Status == nethttp.StatusUnauthorized || se.Status == nethttp.StatusForbidden) {
			return "", fmt.Errorf("%w of user %q (HTTP %d): check http_username and http_password, and that this "+
				"account may use the Web Services API", ErrLoginRefused, s.user, se.Status)
		}
		return "", fmt.Errorf("could not log in to the appliance: %w", err)
	}
	token := strings.TrimSpace(a.header.Get(tokenHeader))
	if token == "" {
		return "", fmt.Errorf("the appliance accepted the login but sent no %s header", tokenHeader)
	}
	return token, nil
}

// logout ends the session, once and without retries; a failure is
// logged, as the token expires on the appliance anyway. It runs also when
// ctx is cancelled.
func (s *session) logout(ctx context.Context, token string) {
	timeout := logoutTimeout
	if s.timeout > 0 && s.timeout < timeout {
		timeout = s.timeout
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	if _, err := s.do(ctx, request{method: nethttp.MethodPost, url: s.base + "auth/logout", token: token}, 0); err != nil {
		s.log.Warn(fmt.Sprintf("Could not log out of the appliance: %v; the session ends when its token expires.", err))
		return
	}
	s.log.Debug("Logged out of the appliance.")
}

// alertsURL returns the URL of the query for the alerts of the last
// duration ("24_hours").
func (s *session) alertsURL(duration string) string {
	return s.base + "alerts?duration=" + neturl.QueryEscape(duration)
}

// openIOCURL returns the URL of the OpenIOC document of an alert.
func (s *session) openIOCURL(uuid string) string {
	return s.base + "openioc?alert_uuid=" + neturl.QueryEscape(uuid)
}

// alert is what the collector reads of an alert of the query's answer.
type alert struct {
	UUID    string `json:"uuid"`
	Product string `json:"product"`
	Name    string `json:"name"`
}

// alerts runs the query of the alerts of the last duration. It returns
// every alert that has a UUID; an entry that is not an alert object is
// logged and skipped.
func (s *session) alerts(ctx context.Context, token, duration string) ([]alert, error) {
	url := s.alertsURL(duration)
	s.log.Debug(fmt.Sprintf("Downloading the alerts from %s.", url))
	a, err := s.do(ctx, request{method: nethttp.MethodGet, url: url, token: token, accept: "application/json"}, s.retries)
	if err != nil {
		return nil, fmt.Errorf("could not query the alerts: %w", err)
	}
	var answer struct {
		Alert json.RawMessage `json:"alert"`
	}
	if err := json.Unmarshal(a.body, &answer); err != nil {
		return nil, fmt.Errorf("the answer of %s is not a JSON object with the alerts: %w (it begins %.120q)", url, err, a.body)
	}
	var raw []json.RawMessage
	switch trimmed := strings.TrimSpace(string(answer.Alert)); {
	case trimmed == "" || trimmed == "null":
		// no alert in the duration
	case trimmed[0] == '{': // a single alert, not in a list
		raw = []json.RawMessage{answer.Alert}
	default:
		if err := json.Unmarshal(answer.Alert, &raw); err != nil {
			return nil, fmt.Errorf("the alerts of %s are not a JSON list: %w", url, err)
		}
	}
	out := make([]alert, 0, len(raw))
	for _, r := range raw {
		var al alert
		if err := json.Unmarshal(r, &al); err != nil || al.UUID == "" {
			s.log.Warn(fmt.Sprintf("Ignoring an entry of the alerts without a uuid: %.200s.", r))
			continue
		}
		out = append(out, al)
	}
	return out, nil
}

// openIOC downloads the OpenIOC document of an alert.
func (s *session) openIOC(ctx context.Context, token, uuid string) ([]byte, error) {
	a, err := s.do(ctx, request{method: nethttp.MethodGet, url: s.openIOCURL(uuid), token: token}, s.retries)
	if err != nil {
		return nil, err
	}
	return a.body, nil
}

// md5Search is the search of the indicator items IntelMQ looks for.
const md5Search = "FileItem/Md5sum"

// openIOCDoc is the part of an OpenIOC document IntelMQ reads: the
// search of the items of the first indicator of the criteria.
type openIOCDoc struct {
	XMLName    xml.Name `xml:"OpenIOC"`
	Indicators []struct {
		Items []struct {
			Context struct {
				Search string `xml:"search,attr"`
			} `xml:"Context"`
		} `xml:"IndicatorItem"`
	} `xml:"criteria>Indicator"`
}

// hasMD5 reports whether the first indicator of the OpenIOC document doc
// holds an MD5 file item (IntelMQ sends only such documents). A document
// that is not OpenIOC XML is an error.
func hasMD5(doc []byte) (bool, error) {
	var d openIOCDoc
	if err := xml.Unmarshal(doc, &d); err != nil {
		return false, err
	}
	if len(d.Indicators) == 0 {
		return false, nil
	}
	for _, item := range d.Indicators[0].Items {
		if item.Context.Search == md5Search {
			return true, nil
		}
	}
	return false, nil
}
