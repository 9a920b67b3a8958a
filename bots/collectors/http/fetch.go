// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	nethttp "net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/statefile"
)

// ErrStatus is wrapped by the error for a response whose status is not 2xx
// (IntelMQ: "HTTP response status code was 404.").
var ErrStatus = errors.New("unexpected HTTP status")

// StatusError reports a non-2xx response after all attempts.
type StatusError struct {
	URL    string
	Status int
}

// Error names the status and the URL, as IntelMQ's error does.
func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP response status code was %d for %s", e.Status, e.URL)
}

// Is makes errors.Is(err, ErrStatus) true.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// fetchConfig is what the fetcher needs from the bot's parameters.
type fetchConfig struct {
	Timeout     time.Duration
	Retries     int
	RetryDelay  time.Duration
	VerifyTLS   bool
	CAFile      string
	ClientCert  string
	ClientKey   string
	Proxy       string
	UserAgent   string
	Username    string
	Password    string
	Headers     map[string]string
	Conditional bool
	MaxSize     int64
}

// sleeper waits between attempts; the bot passes its clock.
type sleeper interface {
	Sleep(ctx context.Context, d time.Duration) error
}

// fetcher downloads one URL with retries and conditional requests. It
// remembers the ETag and Last-Modified of the last successful download of
// each URL, so an unchanged feed answers 304 and produces no report; with
// a state file (useState) they are kept across restarts.
type fetcher struct {
	cfg    fetchConfig
	client *nethttp.Client
	sleep  sleeper
	log    *slog.Logger

	validators map[string]validator // by URL
	statePath  string               // empty: the validators live in memory only
}

// maxValidators bounds the number of URLs whose validators are kept.
const maxValidators = 64

// validator is what a conditional request sends back.
type validator struct {
	etag, lastModified string
}

// response is a successful download: the body, or notModified for a 304.
// FileName is the name given by the Content-Disposition header, else the
// last segment of the URL's path (IntelMQ's file_name_from_response).
type response struct {
	Body        []byte
	FileName    string
	NotModified bool
	validator   validator
}

// newFetcher builds the HTTP client; it reads the CA and client certificate
// files and fails if they are unusable.
func newFetcher(cfg fetchConfig, sleep sleeper, log *slog.Logger) (*fetcher, error) {
	transport, err := NewTransport(ClientConfig{Timeout: cfg.Timeout, VerifyTLS: cfg.VerifyTLS, CAFile: cfg.CAFile,
		ClientCert: cfg.ClientCert, ClientKey: cfg.ClientKey, Proxy: cfg.Proxy})
	if err != nil {
		return nil, err
	}
	return &fetcher{
		cfg:        cfg,
		client:     &nethttp.Client{Transport: transport},
		sleep:      sleep,
		log:        log,
		validators: map[string]validator{},
	}, nil
}

// close releases idle connections.
func (f *fetcher) close() {
	f.client.CloseIdleConnections()
}

// fetch downloads url. Network errors, timeouts, 5xx and 429 responses are
// retried cfg.Retries times with a doubling delay; any other non-2xx
// status fails at once with a *StatusError.
func (f *fetcher) fetch(ctx context.Context, url string) (*response, error) {
	delay := f.cfg.RetryDelay
	for attempt := 0; ; attempt++ {
		resp, retry, err := f.attempt(ctx, url)
		if err == nil {
			return resp, nil
		}
		if !retry || attempt >= f.cfg.Retries || ctx.Err() != nil {
			return nil, err
		}
		f.log.Warn(fmt.Sprintf("Download of %s failed, retrying (%d of %d): %v.", url, attempt+1, f.cfg.Retries, err))
		if err := f.sleep.Sleep(ctx, delay); err != nil {
			return nil, err
		}
		delay *= 2
	}
}

// remember stores the validators of a download once its reports are sent,
// and writes them to the state file; a failed write is logged, as the
// reports are sent already.
func (f *fetcher) remember(url string, resp *response) {
	if !f.cfg.Conditional || (resp.validator.etag == "" && resp.validator.lastModified == "") {
		return
	}
	if len(f.validators) >= maxValidators {
		clear(f.validators) // url_formatting makes a new URL every day
	}
	if f.validators[url] == resp.validator {
		return
	}
	f.validators[url] = resp.validator
	if err := f.saveState(); err != nil {
		f.log.Warn(fmt.Sprintf("Could not save the ETag and Last-Modified of the download: %v.", err))
	}
}

// stateVersion is the version of the state file's format.
const stateVersion = 1

// stateFile is the JSON form of the validators in the state file.
type stateFile struct {
	Version    int                       `json:"version"`
	Validators map[string]stateValidator `json:"validators"`
}

type stateValidator struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// useState makes the fetcher keep its validators in the file at path and
// loads those it holds. A missing file is a first start; an unreadable or
// corrupt one is logged and replaced at the next download, which is then
// unconditional.
func (f *fetcher) useState(path string) {
	f.statePath = path
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	var st stateFile
	if err == nil {
		err = json.Unmarshal(data, &st)
		if err == nil && st.Version != stateVersion {
			err = fmt.Errorf("unknown version %d", st.Version)
		}
	}
	if err != nil {
		f.log.Warn(fmt.Sprintf("Ignoring the state file %s: %v.", path, err))
		return
	}
	for url, v := range st.Validators {
		if len(f.validators) >= maxValidators {
			break
		}
		f.validators[url] = validator{etag: v.ETag, lastModified: v.LastModified}
	}
}

// saveState writes the validators to the state file, atomically: a crash
// leaves the old file or the new one.
func (f *fetcher) saveState() error {
	if f.statePath == "" {
		return nil
	}
	st := stateFile{Version: stateVersion, Validators: make(map[string]stateValidator, len(f.validators))}
	for url, v := range f.validators {
		st.Validators[url] = stateValidator{ETag: v.etag, LastModified: v.lastModified}
	}
	return statefile.WriteJSON(f.statePath, st)
}

// attempt makes one request; retry says whether a failure may be retried.
func (f *fetcher) attempt(ctx context.Context, url string) (resp *response, retry bool, err error) {
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodGet, url, nil)
	if err != nil {
		return nil, false, fmt.Errorf("invalid url %q: %w", url, err)
	}
	f.decorate(req, url)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req = req.WithContext(ctx)
	res, err := f.client.Do(req)
	if err != nil {
		return nil, true, fmt.Errorf("downloading %s: %w", url, err)
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == nethttp.StatusNotModified && f.cfg.Conditional:
		return &response{NotModified: true}, false, nil
	case res.StatusCode/100 != 2:
		f.logFailure(req, res)
		retry := res.StatusCode >= 500 || res.StatusCode == nethttp.StatusTooManyRequests
		return nil, retry, &StatusError{URL: url, Status: res.StatusCode}
	}
	body, err := readLimited(newIdleReader(res.Body, f.cfg.Timeout, cancel), f.cfg.MaxSize)
	if err != nil {
		return nil, !errors.Is(err, errTooLarge), fmt.Errorf("reading the response from %s: %w", url, err)
	}
	return &response{Body: body, FileName: fileName(res), validator: validator{
		etag:         res.Header.Get("ETag"),
		lastModified: res.Header.Get("Last-Modified"),
	}}, false, nil
}

// fileName returns the file name of the Content-Disposition header, else
// the last segment of the path of the URL answered (after redirects).
func fileName(res *nethttp.Response) string {
	if cd := res.Header.Get("Content-Disposition"); cd != "" {
		if _, params, err := mime.ParseMediaType(cd); err == nil && params["filename"] != "" {
			return path.Base(strings.ReplaceAll(params["filename"], "\\", "/"))
		}
	}
	if res.Request == nil || res.Request.URL == nil {
		return ""
	}
	base := path.Base(res.Request.URL.Path)
	if base == "/" || base == "." {
		return ""
	}
	return base
}

// decorate sets the request headers: user agent, configured headers,
// basic authentication and the conditional-request validators.
func (f *fetcher) decorate(req *nethttp.Request, url string) {
	if f.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", f.cfg.UserAgent)
	}
	for k, v := range f.cfg.Headers {
		req.Header.Set(k, v)
	}
	if f.cfg.Username != "" {
		req.SetBasicAuth(f.cfg.Username, f.cfg.Password)
	}
	if v, ok := f.validators[url]; ok && f.cfg.Conditional {
		if v.etag != "" {
			req.Header.Set("If-None-Match", v.etag)
		}
		if v.lastModified != "" {
			req.Header.Set("If-Modified-Since", v.lastModified)
		}
	}
}

// logFailure logs a failed response at DEBUG, as IntelMQ does.
func (f *fetcher) logFailure(req *nethttp.Request, res *nethttp.Response) {
	if !f.log.Enabled(req.Context(), slog.LevelDebug) {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	f.log.Debug(fmt.Sprintf("Request headers: %v.", redactHeaders(req.Header)))
	f.log.Debug(fmt.Sprintf("Response headers: %v.", res.Header))
	f.log.Debug(fmt.Sprintf("Response body: %q.", body))
}

// redactHeaders hides credentials in logged request headers.
func redactHeaders(h nethttp.Header) nethttp.Header {
	out := h.Clone()
	for k := range out {
		lk := strings.ToLower(k)
		if lk == "authorization" || lk == "proxy-authorization" || strings.Contains(lk, "token") ||
			strings.Contains(lk, "key") || lk == "cookie" {
			out[k] = []string{"HIDDEN"}
		}
	}
	return out
}

// newIdleReader returns a reader that cancels the request when no byte arrives for timeout while
// the body is read, so a stalled server cannot block the collector; a
// large feed that keeps flowing is never cut off.
func newIdleReader(r io.Reader, timeout time.Duration, cancel context.CancelFunc) io.Reader {
	if timeout <= 0 {
		return r
	}
	return &idle{r: r, timer: time.AfterFunc(timeout, cancel), timeout: timeout}
}

type idle struct {
	r       io.Reader
	timer   *time.Timer
	timeout time.Duration
}

// Read reads from the body and restarts the idle timer after progress.
func (i *idle) Read(p []byte) (int, error) {
	n, err := i.r.Read(p)
	if err != nil {
		i.timer.Stop()
	} else if n > 0 {
		i.timer.Reset(i.timeout)
	}
	return n, err
}
