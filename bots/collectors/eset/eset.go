// SPDX-License-Identifier: AGPL-3.0-or-later

package eset

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	neturl "net/url"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "collector.eset"

// Parameter names.
const (
	paramUsername   = "username"
	paramPassword   = "password"
	paramEndpoint   = "endpoint"
	paramCollection = "collection"
	paramTimeDelta  = "time_delta"
	paramUseHTTPS   = "use_https"
	paramInterval   = "interval"
	paramTimeout    = "timeout"
	paramProxy      = "proxy"
	paramUserAgent  = "user_agent"
	paramMaxSize    = "max_size"
)

const (
	defaultEndpoint  = "eti.eset.com"
	defaultTimeDelta = time.Hour
	defaultInterval  = time.Hour
	defaultTimeout   = 5 * time.Minute
	discoveryPath    = "/taxiiservice/discovery"
	// maxParts bounds the Poll_Fulfillment requests of one collection.
	maxParts = 10000
)

// Spec returns the declaration of the ESET collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.eset.collector",
		Doc: "Polls a collection of ESET Threat Intelligence over TAXII 1.1 (discovery at " +
			"https://<endpoint>/taxiiservice/discovery, basic authentication) for the content of the last time_delta, " +
			"as IntelMQ's ESET collector does; each content block is a Report with extra.eset_feed set to the collection.",
		Params: []botapi.Param{
			{Name: paramUsername, Type: botapi.TypeString, Required: true,
				Doc: "The ETI user name (basic authentication)."},
			{Name: paramPassword, Type: botapi.TypeString, Required: true,
				Doc: "The ETI password."},
			{Name: paramCollection, Type: botapi.TypeString, Required: true,
				Doc: "The TAXII collection, e.g. \"ei.domains v2 (json)\" or \"ei.urls (json)\"."},
			{Name: paramEndpoint, Type: botapi.TypeString, Default: defaultEndpoint,
				Doc: "The TAXII server's host (and port), without scheme or path."},
			{Name: paramTimeDelta, Type: botapi.TypeDuration, Default: defaultTimeDelta,
				Doc: "How far back each collection asks for content, from now (a number is seconds, as in IntelMQ)."},
			{Name: paramUseHTTPS, Type: botapi.TypeBool, Default: true,
				Doc: "Speak HTTPS (the TAXII HTTPS binding); false is plain HTTP, for a local test server only."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit); keep it at most time_delta."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
				Doc: "How long one TAXII request may take, its answer included."},
			{Name: paramProxy, Type: botapi.TypeString, Default: "",
				Doc: "The proxy URL; empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY."},
			{Name: paramUserAgent, Type: botapi.TypeString, Default: "intelmq-go",
				Doc: "The User-Agent header."},
			{Name: paramMaxSize, Type: botapi.TypeInt, Default: int64(0),
				Doc: "The largest TAXII answer read, in bytes; 0 means no limit."},
		},
	}
}

// Register adds the collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the ESET TAXII collector.
type Collector struct {
	bc         *botapi.Context
	username   string
	password   string
	endpoint   string
	collection string
	timeDelta  time.Duration
	useHTTPS   bool
	timeout    time.Duration
	proxy      string
	userAgent  string
	maxSize    int64

	client *nethttp.Client
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the collector; the HTTP client is made in Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return &Collector{
		bc:         bc,
		username:   p.String(paramUsername),
		password:   p.String(paramPassword),
		endpoint:   strings.TrimSpace(p.String(paramEndpoint)),
		collection: p.String(paramCollection),
		timeDelta:  p.Duration(paramTimeDelta),
		useHTTPS:   p.Bool(paramUseHTTPS),
		timeout:    p.Duration(paramTimeout),
		proxy:      strings.TrimSpace(p.String(paramProxy)),
		userAgent:  p.String(paramUserAgent),
		maxSize:    p.Int(paramMaxSize),
	}, nil
}

// Validate checks the parameters.
func (c *Collector) Validate() error {
	switch {
	case c.username == "" || c.password == "":
		return errors.New("username and password must be set")
	case strings.TrimSpace(c.collection) == "":
		return botapi.ParamErrorf(paramCollection, "is empty")
	case c.endpoint == "" || strings.ContainsAny(c.endpoint, "/ ?#"):
		return botapi.ParamErrorf(paramEndpoint, "%q is not a host name (with an optional port)", c.endpoint)
	case c.timeDelta <= 0:
		return botapi.ParamErrorf(paramTimeDelta, "must be positive")
	case c.maxSize < 0:
		return botapi.ParamErrorf(paramMaxSize, "must not be negative")
	}
	if c.proxy != "" {
		if u, err := neturl.Parse(c.proxy); err != nil || u.Host == "" {
			return botapi.ParamErrorf(paramProxy, "%q is not a URL", c.proxy)
		}
	}
	return nil
}

// Start builds the HTTP client.
func (c *Collector) Start(context.Context) error {
	if err := c.Validate(); err != nil {
		return botapi.Fatal(err)
	}
	tr := nethttp.DefaultTransport.(*nethttp.Transport).Clone()
	if c.proxy != "" {
		u, _ := neturl.Parse(c.proxy) // checked by Validate
		tr.Proxy = nethttp.ProxyURL(u)
	}
	c.client = &nethttp.Client{Transport: tr, Timeout: c.timeout}
	return nil
}

// Close releases the client's idle connections.
func (c *Collector) Close() error {
	if c.client != nil {
		c.client.CloseIdleConnections()
	}
	return nil
}

// discoveryURL is the discovery service's URL; it is also feed.url.
func (c *Collector) discoveryURL() string {
	scheme := "https"
	if !c.useHTTPS {
		scheme = "http"
	}
	return scheme + "://" + c.endpoint + discoveryPath
}

// Collect polls the collection for the last time_delta and sends each
// content block.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	end := c.bc.Clock.Now().UTC()
	begin := end.Add(-c.timeDelta)
	c.logger().Debug("Fetching data back to " + begin.Format(time.RFC3339) + ".")
	pollURL, err := c.discover(ctx)
	if err != nil {
		return err
	}
	body, err := pollRequest(newID(), c.collection, begin, end)
	if err != nil {
		return err
	}
	sent, empty := 0, 0
	for part := 1; ; part++ {
		resp, err := c.call(ctx, pollURL, body, "Poll_Response")
		if err != nil {
			return fmt.Errorf("polling %q at %s: %w", c.collection, pollURL, err)
		}
		for _, b := range resp.Blocks {
			if strings.TrimSpace(b.Content) == "" {
				empty++
				continue
			}
			if err := c.send(ctx, out, b.Content); err != nil {
				return err
			}
			sent++
		}
		if !resp.More || resp.ResultID == "" {
			break
		}
		if part >= maxParts {
			return fmt.Errorf("the poll of %q has more than %d parts", c.collection, maxParts)
		}
		next := part + 1
		if resp.Part > 0 {
			next = resp.Part + 1
		}
		if body, err = fulfillmentRequest(newID(), c.collection, resp.ResultID, next); err != nil {
			return err
		}
	}
	c.logger().Info(fmt.Sprintf("Sent %d content blocks of %q (%d empty skipped).", sent, c.collection, empty))
	return nil
}

// discover asks the discovery service for the poll service's address.
func (c *Collector) discover(ctx context.Context) (string, error) {
	u := c.discoveryURL()
	c.logger().Debug("Authenticating.")
	resp, err := c.call(ctx, u, discoveryRequest(newID()), "Discovery_Response")
	if err != nil {
		return "", fmt.Errorf("TAXII discovery at %s: %w", u, err)
	}
	want := protocolHTTPS
	if !c.useHTTPS {
		want = protocolHTTP
	}
	for _, s := range resp.Services {
		if s.Type != servicePoll || s.Available == "false" || strings.TrimSpace(s.Address) == "" {
			continue
		}
		if s.Protocol != "" && s.Protocol != want {
			continue
		}
		addr := strings.TrimSpace(s.Address)
		if !strings.Contains(addr, "://") { // a path on the discovery host
			base, _ := neturl.Parse(u)
			ref, err := neturl.Parse(addr)
			if err != nil {
				continue
			}
			addr = base.ResolveReference(ref).String()
		}
		c.logger().Debug("Authentication succeeded. Polling data from " + addr + ".")
		return addr, nil
	}
	return "", fmt.Errorf("TAXII discovery at %s lists no available POLL service over %s", u, want)
}

// call posts one TAXII message and decodes the answer.
func (c *Collector) call(ctx context.Context, url string, body []byte, want string) (*response, error) {
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(c.username, c.password)
	req.Header.Set("Content-Type", "application/xml")
	req.Header.Set("Accept", "application/xml")
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("X-TAXII-Content-Type", messageBinding)
	req.Header.Set("X-TAXII-Accept", messageBinding)
	req.Header.Set("X-TAXII-Services", servicesVersion)
	if c.useHTTPS {
		req.Header.Set("X-TAXII-Protocol", protocolHTTPS)
	} else {
		req.Header.Set("X-TAXII-Protocol", protocolHTTP)
	}
	res, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var r io.Reader = res.Body
	if c.maxSize > 0 {
		r = io.LimitReader(res.Body, c.maxSize+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if c.maxSize > 0 && int64(len(data)) > c.maxSize {
		return nil, fmt.Errorf("the answer is larger than max_size (%d bytes)", c.maxSize)
	}
	if res.StatusCode == nethttp.StatusUnauthorized || res.StatusCode == nethttp.StatusForbidden {
		return nil, fmt.Errorf("HTTP %d: bad username or password", res.StatusCode)
	}
	if res.StatusCode/100 != 2 {
		// a TAXII server answers errors as a Status_Message; say it if so.
		if _, derr := decode(data, want); derr != nil && strings.HasPrefix(derr.Error(), "TAXII status") {
			return nil, fmt.Errorf("HTTP %d: %w", res.StatusCode, derr)
		}
		return nil, fmt.Errorf("HTTP %d", res.StatusCode)
	}
	return decode(data, want)
}

// send emits one content block.
func (c *Collector) send(ctx context.Context, out botapi.Emitter, content string) error {
	r, err := report.New(c.bc)
	if err != nil {
		return err
	}
	if err := message.SetRawText(r, []byte(content)); err != nil {
		return err
	}
	if err := r.Set("feed.url", harmonization.String(c.discoveryURL())); err != nil {
		return botapi.Permanent(fmt.Errorf("feed.url: %w", err))
	}
	if err := r.Set("extra.eset_feed", harmonization.String(c.collection)); err != nil {
		return botapi.Permanent(fmt.Errorf("extra.eset_feed: %w", err))
	}
	return out.Emit(ctx, r)
}

// newID returns a TAXII message ID.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
