// SPDX-License-Identifier: AGPL-3.0-or-later

package shadowserver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	neturl "net/url"
	"path/filepath"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "collector.shadowserver_reports_api"

// Parameter names.
const (
	paramAPIKey      = "api_key"
	paramSecret      = "secret"
	paramReports     = "reports"
	paramCountry     = "country"
	paramTypes       = "types"
	paramInterval    = "interval"
	paramCacheTTL    = "cache_ttl"
	paramAPIURL      = "api_url"
	paramDownloadURL = "download_url"
	paramVerifyTLS   = "verify_cert"
)

// IntelMQ's defaults.
const (
	defaultAPIURL      = "https://transform.shadowserver.org/api2/"
	defaultDownloadURL = "https://dl.shadowserver.org/"
	defaultInterval    = 24 * time.Hour
	defaultCacheTTL    = 240 * time.Hour
	defaultTimeout     = 60 * time.Second
	defaultRetries     = int64(2)
	defaultUserAgent   = "intelmq-go"
)

const (
	keyFileName = "extra.file_name"
	// stateFileName is the file in the bot's state directory that keeps
	// the names of the reports sent.
	stateFileName = "shadowserver-reports.json"
	// listDays is how many days before today the list covers (IntelMQ asks
	// for the day before yesterday until today).
	listDays = 2
	// maxListSize bounds the answer of reports/list.
	maxListSize = 64 << 20
)

// Spec returns the declaration of the Shadowserver Reports API collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.shadowserver.collector_reports_api",
		Doc: "Downloads the reports of the Shadowserver Reports API, as IntelMQ's collector_reports_api does: it lists " +
			"the reports of the last three days (an HMAC-signed POST to reports/list), keeps the wanted types and sends " +
			"each report not sent before as CSV, with its file name in extra.file_name.",
		Params: append([]botapi.Param{
			{Name: paramAPIKey, Type: botapi.TypeString, Required: true,
				Doc: "Your Shadowserver API key."},
			{Name: paramSecret, Type: botapi.TypeString, Required: true,
				Doc: "Your Shadowserver API secret; it signs each request (HMAC-SHA256 in the HMAC2 header)."},
			{Name: paramReports, Type: botapi.TypeStringList, Default: []string{},
				Doc: "The mailing lists (report names) to download reports of, e.g. [\"austria\"]; empty takes all the reports the key may read."},
			{Name: paramCountry, Type: botapi.TypeString, Default: "",
				Doc: "Deprecated in IntelMQ: one more mailing list, added to reports."},
			{Name: paramTypes, Type: botapi.TypeStringList, Default: []string{},
				Doc: "The report types to send, e.g. [\"scan_smb\", \"device_id\"], compared with the type of each listed report; empty sends all."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit, 86400 seconds for this collector)."},
			{Name: paramCacheTTL, Type: botapi.TypeDuration, Default: defaultCacheTTL,
				Doc: "How long the name of a report sent is remembered, so that it is not sent again (IntelMQ's redis_cache_ttl, 10 days); kept in the bot's state directory."},
			{Name: paramAPIURL, Type: botapi.TypeString, Default: defaultAPIURL,
				Doc: "The root of the API; the list is asked for at <api_url>reports/list."},
			{Name: paramDownloadURL, Type: botapi.TypeString, Default: defaultDownloadURL,
				Doc: "The root of the downloads; a report is downloaded from <download_url><report id>."},
			{Name: paramVerifyTLS, Type: botapi.TypeBool, Default: true,
				Doc: "Verify the server's TLS certificate (IntelMQ's http_verify_cert)."},
		}, httpcollector.APIParams(defaultTimeout, defaultRetries)...),
	}
}

// Register adds the collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the Shadowserver Reports API collector.
type Collector struct {
	bc          *botapi.Context
	apiKey      string
	secret      string
	reports     []string
	types       map[string]bool
	cacheTTL    time.Duration
	apiURL      string
	downloadURL string
	cfg         httpcollector.ClientConfig

	post   *nethttp.Client
	client *httpcollector.Client
	seen   *seen
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the collector from its parameters; the clients are made in
// Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	c := &Collector{
		bc:          bc,
		apiKey:      p.String(paramAPIKey),
		secret:      p.String(paramSecret),
		cacheTTL:    p.Duration(paramCacheTTL),
		apiURL:      p.String(paramAPIURL),
		downloadURL: p.String(paramDownloadURL),
		cfg:         httpcollector.APIClientConfig(p),
	}
	c.cfg.VerifyTLS = p.Bool(paramVerifyTLS)
	for _, r := range p.List(paramReports) {
		if r = strings.TrimSpace(r); r != "" {
			c.reports = append(c.reports, r)
		}
	}
	if country := strings.TrimSpace(p.String(paramCountry)); country != "" && !contains(c.reports, country) {
		c.reports = append(c.reports, country)
	}
	for _, t := range p.List(paramTypes) {
		if t = strings.TrimSpace(t); t != "" {
			if c.types == nil {
				c.types = map[string]bool{}
			}
			c.types[t] = true
		}
	}
	return c, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Validate checks the credentials, the URLs and the limits.
func (c *Collector) Validate() error {
	switch {
	case c.apiKey == "":
		return botapi.ParamErrorf(paramAPIKey, "is empty")
	case c.secret == "":
		return botapi.ParamErrorf(paramSecret, "is empty")
	case c.cacheTTL <= 0:
		return botapi.ParamErrorf(paramCacheTTL, "must be positive, got %s", c.cacheTTL)
	}
	for _, u := range []struct{ name, url string }{{paramAPIURL, c.apiURL}, {paramDownloadURL, c.downloadURL}} {
		if err := httpcollector.CheckURL(u.name, u.url); err != nil {
			return err
		}
		if !strings.HasSuffix(u.url, "/") {
			return botapi.ParamErrorf(u.name, "%q must end with a slash", u.url)
		}
	}
	return c.cfg.Check()
}

// Start builds the HTTP clients and reads the names of the reports sent.
func (c *Collector) Start(context.Context) error {
	client, err := httpcollector.NewClient(c.cfg, c.bc.Clock, c.logger())
	if err != nil {
		return botapi.Fatal(err)
	}
	c.client = client
	// The API calls are signed POSTs, which Client does not make.
	transport, err := httpcollector.NewTransport(c.cfg)
	if err != nil {
		return botapi.Fatal(err)
	}
	c.post = &nethttp.Client{Transport: transport}
	path := ""
	if c.bc.StateDir != "" {
		path = filepath.Join(c.bc.StateDir, stateFileName)
	}
	c.seen = loadSeen(path, c.logger())
	return nil
}

// Close releases the clients' idle connections.
func (c *Collector) Close() error {
	if c.client != nil {
		c.client.Close()
	}
	if c.post != nil {
		c.post.CloseIdleConnections()
	}
	return nil
}

// listed is one entry of the answer of reports/list.
type listed struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	File      string `json:"file"`
	Report    string `json:"report"`
	Timestamp string `json:"timestamp"`
}

// Collect lists the reports and sends the new ones.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	now := c.bc.Clock.Now()
	c.seen.expire(now, c.cacheTTL)
	list, err := c.list(ctx, now)
	if err != nil {
		return err
	}
	log := c.logger()
	log.Debug(fmt.Sprintf("Reports list contains %d entries after filtering.", len(list)))
	sent, failed := 0, 0
	for _, item := range list {
		if c.seen.has(item.File, now, c.cacheTTL) {
			log.Debug(fmt.Sprintf("Processed file %q already.", item.File))
			continue
		}
		log.Debug(fmt.Sprintf("Processing file %q.", item.File))
		dl, err := c.client.Get(ctx, c.downloadURL+neturl.PathEscape(item.ID))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed++
			log.Error(fmt.Sprintf("Could not download report %q (id %s): %v.", item.File, item.ID, err))
			continue
		}
		if len(dl.Body) == 0 {
			log.Warn(fmt.Sprintf("Report %q (id %s) is empty; not sending it.", item.File, item.ID))
			c.seen.add(item.File, now)
			continue
		}
		if err := c.emit(ctx, out, item.File, dl.Body); err != nil {
			return err
		}
		c.seen.add(item.File, now)
		sent++
		log.Debug(fmt.Sprintf("Sent report %q (%.3g KiB).", item.File, float64(len(dl.Body))/1024))
	}
	log.Info(fmt.Sprintf("Downloaded %d of %d available reports.", sent, len(list)))
	if failed > 0 {
		return fmt.Errorf("%d of %d reports could not be downloaded; they are tried again with the next collection", failed, len(list))
	}
	return nil
}

// listBody returns the JSON body of reports/list for the days from
// listDays before now until now (UTC), in IntelMQ's spelling.
func (c *Collector) listBody(now time.Time) []byte {
	day := now.UTC()
	begin := day.AddDate(0, 0, -listDays)
	var b bytes.Buffer
	b.WriteString(`{ "apikey": `)
	b.Write(jsonString(c.apiKey))
	fmt.Fprintf(&b, ` ,"date": "%s:%s" `, begin.Format(time.DateOnly), day.Format(time.DateOnly))
	if len(c.reports) > 0 {
		b.WriteString(`,"reports": [`)
		for i, r := range c.reports {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Write(jsonString(r))
		}
		b.WriteString("]")
	}
	b.WriteString("}")
	return b.Bytes()
}

func jsonString(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// sign returns the HMAC2 header of body.
func (c *Collector) sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(c.secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// list asks for the reports of the last days and keeps the wanted types.
func (c *Collector) list(ctx context.Context, now time.Time) ([]listed, error) {
	url := c.apiURL + "reports/list"
	body := c.listBody(now)
	c.logger().Info("Downloading the report list.")
	raw, err := c.postJSON(ctx, url, body)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var answer struct {
			Error any `json:"error"`
		}
		if err := json.Unmarshal(trimmed, &answer); err == nil && answer.Error != nil {
			return nil, fmt.Errorf("the Shadowserver API refused the report list: %v", answer.Error)
		}
		return nil, fmt.Errorf("the report list from %s is a JSON object, not a list: %.200s", url, trimmed)
	}
	var all []listed
	if err := json.Unmarshal(trimmed, &all); err != nil {
		return nil, fmt.Errorf("the report list from %s is not a JSON list of reports: %w", url, err)
	}
	c.logger().Debug(fmt.Sprintf("Downloaded report list, %d entries.", len(all)))
	var out []listed
	for _, item := range all {
		if c.types != nil && !c.types[item.Type] {
			continue
		}
		if item.ID == "" || item.File == "" {
			c.logger().Warn(fmt.Sprintf("Ignoring a listed report without id or file name: %+v.", item))
			continue
		}
		out = append(out, item)
	}
	return out, nil
}

// postJSON posts the signed body to url and returns the answer, retrying
// network errors, 429 and 5xx.
func (c *Collector) postJSON(ctx context.Context, url string, body []byte) ([]byte, error) {
	delay := time.Second
	for attempt := 0; ; attempt++ {
		raw, retry, err := c.postOnce(ctx, url, body)
		if err == nil {
			return raw, nil
		}
		if !retry || attempt >= c.cfg.Retries || ctx.Err() != nil {
			return nil, err
		}
		c.logger().Warn(fmt.Sprintf("Request to %s failed, retrying (%d of %d): %v.", url, attempt+1, c.cfg.Retries, err))
		if err := c.bc.Clock.Sleep(ctx, delay); err != nil {
			return nil, err
		}
		delay *= 2
	}
}

func (c *Collector) postOnce(ctx context.Context, url string, body []byte) ([]byte, bool, error) {
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("HMAC2", c.sign(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.post.Do(req)
	if err != nil {
		return nil, true, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxListSize+1))
	if err != nil {
		return nil, true, fmt.Errorf("reading the answer of %s: %w", url, err)
	}
	if resp.StatusCode/100 != 2 {
		err := &httpcollector.StatusError{URL: url, Status: resp.StatusCode}
		return nil, resp.StatusCode == nethttp.StatusTooManyRequests || resp.StatusCode >= 500, err
	}
	if len(raw) > maxListSize {
		return nil, false, fmt.Errorf("the answer of %s exceeds %d bytes", url, maxListSize)
	}
	return raw, false, nil
}

// emit sends one downloaded report.
func (c *Collector) emit(ctx context.Context, out botapi.Emitter, name string, data []byte) error {
	r, err := report.New(c.bc)
	if err != nil {
		return err
	}
	if err := message.SetRawText(r, data); err != nil {
		return err
	}
	if err := r.AddString(keyFileName, name); err != nil {
		return botapi.Permanent(fmt.Errorf("extra.file_name: %w", err))
	}
	return out.Emit(ctx, r)
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
