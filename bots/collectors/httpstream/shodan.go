// SPDX-License-Identifier: AGPL-3.0-or-later

package httpstream

import (
	"context"
	"errors"
	"fmt"
	neturl "net/url"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// ShodanID is the registry ID of the Shodan stream collector.
const ShodanID = "collector.shodan_stream"

const (
	paramAPIKey    = "api_key"
	paramCountries = "countries"
	paramAlert     = "alert"
	paramStreamURL = "stream_url"

	defaultShodanURL     = "https://stream.shodan.io"
	defaultShodanTimeout = 60 * time.Second
)

// ShodanSpec returns the declaration of the Shodan stream collector.
func ShodanSpec() botapi.Spec {
	params := []botapi.Param{
		{Name: paramAPIKey, Type: botapi.TypeString, Required: true,
			Doc: "Your Shodan API key; the account needs streaming access."},
		{Name: paramCountries, Type: botapi.TypeString, Default: "",
			Doc: "The two-letter codes of the countries whose banners to read, comma-separated as in IntelMQ, e.g. \"AT,DE\" (the /shodan/countries stream)."},
		{Name: paramAlert, Type: botapi.TypeString, Default: "",
			Doc: "Instead of countries, the ID of a network alert of monitor.shodan.io (the /shodan/alert stream)."},
		{Name: paramStreamURL, Type: botapi.TypeString, Default: defaultShodanURL,
			Doc: "The root of the Shodan Streaming API."},
	}
	return botapi.Spec{
		ID:            ShodanID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.shodan.collector_stream",
		Doc: "Reads the Shodan Streaming API, as IntelMQ's shodan stream collector does: the banners of some countries, " +
			"or of a network alert, one JSON document per line, each sent as a Report. Broken connections are retried; " +
			"a collection lasts until the bot stops, the server ends the stream, or max_duration or max_reports is reached.",
		Params: append(params, commonParams(defaultShodanTimeout)...),
	}
}

// ShodanCollector is the Shodan stream collector.
type ShodanCollector struct {
	bc        *botapi.Context
	apiKey    string
	countries []string
	alert     string
	root      string
	cfg       streamConfig
	streamer  *streamer
}

var (
	_ botapi.Collector = (*ShodanCollector)(nil)
	_ botapi.Validator = (*ShodanCollector)(nil)
	_ botapi.Starter   = (*ShodanCollector)(nil)
	_ botapi.Closer    = (*ShodanCollector)(nil)
)

// NewShodan builds the Shodan stream collector; it connects in Collect.
func NewShodan(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	c := &ShodanCollector{bc: bc, apiKey: p.String(paramAPIKey), alert: strings.TrimSpace(p.String(paramAlert)),
		root: strings.TrimRight(p.String(paramStreamURL), "/"), cfg: readCommon(p)}
	for _, cc := range strings.FieldsFunc(p.String(paramCountries), func(r rune) bool { return r == ',' || r == ' ' }) {
		if cc = strings.TrimSpace(cc); cc != "" {
			c.countries = append(c.countries, cc)
		}
	}
	return c, nil
}

// Validate checks that exactly one selector is given.
func (c *ShodanCollector) Validate() error {
	switch {
	case c.apiKey == "":
		return botapi.ParamErrorf(paramAPIKey, "is empty")
	case len(c.countries) > 0 && c.alert != "":
		return errors.New("both alert and countries are given; use only one selector")
	}
	if err := httpcollector.CheckURL(paramStreamURL, c.root); err != nil {
		return err
	}
	return c.cfg.validate()
}

// Start checks that a stream is chosen and builds the HTTP client. The
// choice is checked here rather than in Validate, so that the collector
// builds from its defaults; without one the bot stops.
func (c *ShodanCollector) Start(context.Context) error {
	if len(c.countries) == 0 && c.alert == "" {
		return botapi.Fatal(errors.New("give countries or alert to choose the Shodan stream"))
	}
	c.streamer = newStreamer(c.bc, c.cfg)
	return nil
}

// Close releases the client's idle connections.
func (c *ShodanCollector) Close() error {
	if c.streamer != nil {
		c.streamer.close()
	}
	return nil
}

// streamPath returns the path of the chosen stream.
func (c *ShodanCollector) streamPath() string {
	if c.alert != "" {
		return "/shodan/alert/" + neturl.PathEscape(c.alert)
	}
	return "/shodan/countries/" + neturl.PathEscape(strings.Join(c.countries, ","))
}

// Collect reads the stream until the collection ends.
func (c *ShodanCollector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.streamer == nil {
		return errors.New("the collector was not started")
	}
	path := c.root + c.streamPath()
	url := fmt.Sprintf("%s?key=%s", path, neturl.QueryEscape(c.apiKey))
	return c.streamer.collect(ctx, out, url, path)
}
