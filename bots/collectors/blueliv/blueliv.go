// SPDX-License-Identifier: AGPL-3.0-or-later

package blueliv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "collector.blueliv_crimeserver"

// Parameter names.
const (
	paramAPIKey   = "api_key"
	paramAPIURL   = "api_url"
	paramInterval = "interval"
)

const (
	defaultAPIURL   = "https://freeapi.blueliv.com"
	defaultInterval = time.Hour
	defaultTimeout  = 10 * time.Minute // the SDK waits 600s
	defaultRetries  = int64(2)
	onlinePath      = "/v1/crimeserver/online"
	listKey         = "crimeServers"
)

// Spec returns the declaration of the Blueliv Crimeserver collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.blueliv.collector_crimeserver",
		Doc: "Sends the crime servers online from Blueliv's Crimeserver API (<api_url>/v1/crimeserver/online, " +
			"authenticated with api_key) as one Report whose raw is their JSON array, as IntelMQ's Blueliv collector does.",
		Params: append([]botapi.Param{
			{Name: paramAPIKey, Type: botapi.TypeString, Required: true,
				Doc: "The Blueliv API key, sent as \"Authorization: bearer <api_key>\"."},
			{Name: paramAPIURL, Type: botapi.TypeString, Default: defaultAPIURL,
				Doc: "The root of Blueliv's API: the free API by default, the subscribers' API otherwise."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit)."},
		}, httpcollector.APIParams(defaultTimeout, defaultRetries)...),
	}
}

// Register adds the collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the Blueliv Crimeserver collector.
type Collector struct {
	bc     *botapi.Context
	apiKey string
	apiURL string
	cfg    httpcollector.ClientConfig
	client *httpcollector.Client
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the collector; the client is made in Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	key := strings.TrimSpace(p.String(paramAPIKey))
	cfg := httpcollector.APIClientConfig(p)
	cfg.Headers = map[string]string{"Authorization": "bearer " + key, "Accept": "application/json"}
	return &Collector{bc: bc, apiKey: key, apiURL: strings.TrimRight(p.String(paramAPIURL), "/"), cfg: cfg}, nil
}

// Validate checks the API key and URL.
func (c *Collector) Validate() error {
	if c.apiKey == "" {
		return botapi.ParamErrorf(paramAPIKey, "is empty")
	}
	if err := httpcollector.CheckURL(paramAPIURL, c.apiURL); err != nil {
		return err
	}
	return c.cfg.Check()
}

// Start builds the HTTP client.
func (c *Collector) Start(context.Context) error {
	if err := c.Validate(); err != nil {
		return botapi.Fatal(err)
	}
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

// Collect downloads the crime servers online and sends them.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	url := c.apiURL + onlinePath
	c.logger().Debug("Downloading report through API.")
	dl, err := c.client.Get(ctx, url)
	if err != nil {
		var se *httpcollector.StatusError
		if errors.As(err, &se) && (se.Status == 401 || se.Status == 403) {
			return fmt.Errorf("the Blueliv API refused %s (HTTP %d): bad api_key", url, se.Status)
		}
		return err
	}
	items, err := crimeServers(dl.Body)
	if err != nil {
		return fmt.Errorf("the answer of %s: %w", url, err)
	}
	if len(items) == 0 {
		c.logger().Info("The Blueliv API lists no crime servers; nothing sent.")
		return nil
	}
	raw, err := json.Marshal(items)
	if err != nil {
		return err
	}
	r, err := report.New(c.bc)
	if err != nil {
		return err
	}
	if err := message.SetRawText(r, raw); err != nil {
		return err
	}
	if err := r.Set("feed.url", harmonization.String(url)); err != nil {
		return botapi.Permanent(fmt.Errorf("feed.url: %w", err))
	}
	if err := out.Emit(ctx, r); err != nil {
		return err
	}
	c.logger().Info(fmt.Sprintf("Sent a report of %d crime servers.", len(items)))
	return nil
}

// crimeServers returns the list of an answer: a JSON array, or an object
// holding it under "crimeServers" (else under its only array field).
func crimeServers(body []byte) ([]json.RawMessage, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(body, &list); err == nil {
		return list, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, errors.New("neither a JSON array nor a JSON object")
	}
	if v, ok := obj[listKey]; ok {
		if err := json.Unmarshal(v, &list); err != nil {
			return nil, fmt.Errorf("%q is not an array", listKey)
		}
		return list, nil
	}
	var arrays []string
	for k, v := range obj {
		if json.Unmarshal(v, &list) == nil && list != nil {
			arrays = append(arrays, k)
		}
	}
	if len(arrays) != 1 {
		sort.Strings(arrays)
		return nil, fmt.Errorf("no %q array in the object (array fields: %v)", listKey, arrays)
	}
	list = nil
	if err := json.Unmarshal(obj[arrays[0]], &list); err != nil {
		return nil, err
	}
	return list, nil
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
