// SPDX-License-Identifier: AGPL-3.0-or-later

package otx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "collector.alienvault_otx"

// Parameter names.
const (
	paramAPIKey         = "api_key"
	paramModifiedOnly   = "modified_pulses_only"
	paramModifiedWindow = "modified_window"
	paramAPIURL         = "api_url"
	paramInterval       = "interval"
	paramMaxPages       = "max_pages"
)

const (
	defaultAPIURL   = "https://otx.alienvault.com"
	defaultWindow   = 24 * time.Hour
	defaultInterval = time.Hour
	defaultTimeout  = 60 * time.Second
	defaultRetries  = int64(2)
	defaultMaxPages = int64(10000)
	subscribedPath  = "/api/v1/pulses/subscribed"
	// IntelMQ's OTXv2 asks for 50 pulses a page, or 9999 with
	// modified_since.
	pageLimit         = 50
	modifiedPageLimit = 9999
)

// Spec returns the declaration of the OTX collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.alienvault_otx.collector",
		Doc: "Downloads the pulses an AlienVault OTX account subscribes to, as IntelMQ's OTX collector does, and sends " +
			"them as one Report whose raw is the JSON list of the pulses.",
		Params: append([]botapi.Param{
			{Name: paramAPIKey, Type: botapi.TypeString, Required: true,
				Doc: "Your OTX API key (the X-OTX-API-KEY header)."},
			{Name: paramModifiedOnly, Type: botapi.TypeBool, Default: false,
				Doc: "Fetch only the pulses modified within modified_window instead of all of them (IntelMQ's modified_pulses_only)."},
			{Name: paramModifiedWindow, Type: botapi.TypeDuration, Default: defaultWindow,
				Doc: "With modified_pulses_only, how far back a pulse may have been modified (IntelMQ's interval, 24 hours)."},
			{Name: paramAPIURL, Type: botapi.TypeString, Default: defaultAPIURL,
				Doc: "The root of the OTX API."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit, 3600 seconds for this collector)."},
			{Name: paramMaxPages, Type: botapi.TypeInt, Default: defaultMaxPages,
				Doc: "The most pages read in one collection; more fail the collection, as the list would be incomplete."},
		}, httpcollector.APIParams(defaultTimeout, defaultRetries)...),
	}
}

// Register adds the collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the OTX collector.
type Collector struct {
	bc           *botapi.Context
	apiURL       string
	modifiedOnly bool
	window       time.Duration
	maxPages     int64
	cfg          httpcollector.ClientConfig
	client       *httpcollector.Client
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the collector; the client is made in Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	cfg := httpcollector.APIClientConfig(p)
	cfg.Headers = map[string]string{"X-OTX-API-KEY": p.String(paramAPIKey)}
	return &Collector{
		bc:           bc,
		apiURL:       strings.TrimRight(p.String(paramAPIURL), "/"),
		modifiedOnly: p.Bool(paramModifiedOnly),
		window:       p.Duration(paramModifiedWindow),
		maxPages:     p.Int(paramMaxPages),
		cfg:          cfg,
	}, nil
}

// Validate checks the key, the URL and the limits.
func (c *Collector) Validate() error {
	switch {
	case c.cfg.Headers["X-OTX-API-KEY"] == "":
		return botapi.ParamErrorf(paramAPIKey, "is empty")
	case c.maxPages < 1:
		return botapi.ParamErrorf(paramMaxPages, "must be at least 1, got %d", c.maxPages)
	case c.window <= 0:
		return botapi.ParamErrorf(paramModifiedWindow, "must be positive, got %s", c.window)
	}
	if err := httpcollector.CheckURL(paramAPIURL, c.apiURL); err != nil {
		return err
	}
	return c.cfg.Check()
}

// Start builds the client.
func (c *Collector) Start(context.Context) error {
	client, err := httpcollector.NewClient(c.cfg, c.bc.Clock, c.logger())
	if err != nil {
		return botapi.Fatal(err)
	}
	c.client = client
	return nil
}

// Close releases the client's idle connections.
func (c *Collector) Close() error {
	if c.client != nil {
		c.client.Close()
	}
	return nil
}

// page is one page of the subscribed pulses.
type page struct {
	Results []json.RawMessage `json:"results"`
	Next    *string           `json:"next"`
}

// firstURL returns the URL of the first page.
func (c *Collector) firstURL() string {
	q := neturl.Values{}
	if c.modifiedOnly {
		since := c.bc.Clock.Now().Add(-c.window).UTC()
		q.Set("limit", strconv.Itoa(modifiedPageLimit))
		q.Set("modified_since", since.Format("2006-01-02T15:04:05.000000"))
	} else {
		q.Set("limit", strconv.Itoa(pageLimit))
	}
	return c.apiURL + subscribedPath + "?" + q.Encode()
}

// Collect reads every page and sends the pulses as one report.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	log := c.logger()
	log.Info("Downloading report through API.")
	if c.modifiedOnly {
		log.Info("Fetching only modified pulses.")
	} else {
		log.Info("Fetching all pulses.")
	}
	base, _ := neturl.Parse(c.apiURL) // checked by Validate
	var pulses []json.RawMessage
	url := c.firstURL()
	for pages := int64(0); url != ""; pages++ {
		if pages >= c.maxPages {
			return fmt.Errorf("the pulses span more than max_pages (%d) pages; nothing sent", c.maxPages)
		}
		dl, err := c.client.Get(ctx, url)
		if err != nil {
			var se *httpcollector.StatusError
			if errors.As(err, &se) && (se.Status == 401 || se.Status == 403) {
				return fmt.Errorf("OTX refused the API key (HTTP %d)", se.Status)
			}
			return err
		}
		var p page
		if err := json.Unmarshal(dl.Body, &p); err != nil {
			return fmt.Errorf("page %s is not a JSON page of pulses: %w", url, err)
		}
		pulses = append(pulses, p.Results...)
		url = ""
		if p.Next != nil && *p.Next != "" {
			next, err := base.Parse(*p.Next)
			if err != nil || next.Scheme != base.Scheme || next.Host != base.Host {
				return fmt.Errorf("the next page %q is not on %s; not following it with the API key", *p.Next, base.Host)
			}
			url = next.String()
		}
	}
	log.Info("Report downloaded.")
	var raw bytes.Buffer
	raw.WriteByte('[')
	for i, p := range pulses {
		if i > 0 {
			raw.WriteString(", ")
		}
		raw.Write(p)
	}
	raw.WriteByte(']')
	r, err := report.New(c.bc)
	if err != nil {
		return err
	}
	if err := message.SetRawText(r, raw.Bytes()); err != nil {
		return err
	}
	return out.Emit(ctx, r)
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
