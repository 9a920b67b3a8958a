// SPDX-License-Identifier: AGPL-3.0-or-later

package httpstream

import (
	"context"
	"errors"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// StreamID is the registry ID of the HTTP stream collector.
const StreamID = "collector.http_stream"

const (
	paramURL        = "url"
	paramStripLines = "strip_lines"
	paramUsername   = "username"
	paramPassword   = "password"
	paramHeaders    = "headers"

	defaultStreamTimeout = 30 * time.Second
)

// StreamSpec returns the declaration of the HTTP stream collector.
func StreamSpec() botapi.Spec {
	params := []botapi.Param{
		{Name: paramURL, Type: botapi.TypeString, Required: true,
			Doc: "The URL of the stream (IntelMQ's http_url); it becomes feed.url of every report."},
		{Name: paramStripLines, Type: botapi.TypeBool, Default: true,
			Doc: "Strip blanks around each line before it is sent (IntelMQ's strip_lines)."},
		{Name: paramUsername, Type: botapi.TypeString, Default: "",
			Doc: "The user for HTTP basic authentication (IntelMQ's http_username)."},
		{Name: paramPassword, Type: botapi.TypeString, Default: "",
			Doc: "The password for HTTP basic authentication (IntelMQ's http_password)."},
		{Name: paramHeaders, Type: botapi.TypeStringMap, Default: map[string]string{},
			Doc: "Further request headers, e.g. { Authorization = \"Token abc\" } (IntelMQ's http_header)."},
	}
	return botapi.Spec{
		ID:            StreamID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.http.collector_http_stream",
		Doc: "Reads a long-lived HTTP response line by line, as IntelMQ's http stream collector does, and sends each " +
			"non-empty line as a Report with feed.url; broken connections are retried. A collection lasts until the " +
			"bot stops, the server ends the stream, or max_duration or max_reports is reached.",
		Params: append(params, commonParams(defaultStreamTimeout)...),
	}
}

// StreamCollector is the HTTP stream collector.
type StreamCollector struct {
	bc       *botapi.Context
	url      string
	cfg      streamConfig
	streamer *streamer
}

var (
	_ botapi.Collector = (*StreamCollector)(nil)
	_ botapi.Validator = (*StreamCollector)(nil)
	_ botapi.Starter   = (*StreamCollector)(nil)
	_ botapi.Closer    = (*StreamCollector)(nil)
)

// NewStream builds the HTTP stream collector; it connects in Collect.
func NewStream(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	cfg := readCommon(p)
	cfg.strip = p.Bool(paramStripLines)
	cfg.username = p.String(paramUsername)
	cfg.password = p.String(paramPassword)
	cfg.headers = p.Map(paramHeaders)
	url := p.String(paramURL)
	cfg.feedURL = url
	return &StreamCollector{bc: bc, url: url, cfg: cfg}, nil
}

// Validate checks the URL and the limits.
func (c *StreamCollector) Validate() error {
	if err := httpcollector.CheckURL(paramURL, c.url); err != nil {
		return err
	}
	return c.cfg.validate()
}

// Start builds the HTTP client.
func (c *StreamCollector) Start(context.Context) error {
	c.streamer = newStreamer(c.bc, c.cfg)
	return nil
}

// Close releases the client's idle connections.
func (c *StreamCollector) Close() error {
	if c.streamer != nil {
		c.streamer.close()
	}
	return nil
}

// Collect reads the stream until the collection ends.
func (c *StreamCollector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.streamer == nil {
		return errors.New("the collector was not started")
	}
	return c.streamer.collect(ctx, out, c.url, redact(c.url))
}

// Register adds the HTTP stream and the Shodan stream collectors to r.
func Register(r *botapi.Registry) error {
	if err := r.Register(StreamSpec(), NewStream); err != nil {
		return err
	}
	return r.Register(ShodanSpec(), NewShodan)
}
