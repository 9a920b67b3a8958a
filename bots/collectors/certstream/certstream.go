// SPDX-License-Identifier: AGPL-3.0-or-later

package certstream

import (
	"context"
	"errors"
	"log/slog"
	"net"
	nethttp "net/http"
	neturl "net/url"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/streamloop"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// ID is the bot's registry ID.
const ID = "collector.certstream"

// Parameter names.
const (
	paramURL            = "url"
	paramTimeout        = "timeout"
	paramVerifyTLS      = "verify_cert"
	paramCAFile         = "ca_file"
	paramProxy          = "proxy"
	paramUserAgent      = "user_agent"
	paramMaxMessageSize = "max_message_size"
)

// Defaults of the parameters.
const (
	// DefaultURL is the public CertStream server, the one IntelMQ uses.
	DefaultURL            = "wss://certstream.calidog.io/"
	defaultTimeout        = 60 * time.Second
	defaultUserAgent      = "intelmq-go"
	defaultMaxMessageSize = int64(1 << 20)
)

// Spec returns the declaration of the CertStream collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.calidog.collector_certstream",
		Doc: "Reads the WebSocket stream of a CertStream server, as IntelMQ's certstream collector does, and sends each " +
			"certificate_update message as a Report whose raw is the message's JSON; heartbeats are skipped. Broken " +
			"connections are retried with backoff; a collection lasts until the bot stops, the server closes the " +
			"stream, or max_duration or max_reports is reached. The feed is large: a full queue blocks the reading.",
		Params: append([]botapi.Param{
			{Name: paramURL, Type: botapi.TypeString, Default: DefaultURL,
				Doc: "The WebSocket URL of the CertStream server (ws:// or wss://), e.g. a self-hosted certstream-server; IntelMQ always uses " + DefaultURL + "."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
				Doc: "How long to wait for the connection and the WebSocket handshake, and for any frame of the stream (messages, heartbeats, pings) before the connection counts as broken; keep it above the server's heartbeat interval."},
			{Name: paramVerifyTLS, Type: botapi.TypeBool, Default: true,
				Doc: "Verify the server's TLS certificate, as the http collector's verify_cert does."},
			{Name: paramCAFile, Type: botapi.TypeString, Default: "",
				Doc: "A PEM file of CA certificates trusted in addition to the system's, e.g. for a self-hosted server; relative to the configuration's folder."},
			{Name: paramProxy, Type: botapi.TypeString, Default: "",
				Doc: "The proxy URL, e.g. \"http://proxy.example:3128\"; empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY."},
			{Name: paramUserAgent, Type: botapi.TypeString, Default: defaultUserAgent,
				Doc: "The User-Agent header of the WebSocket handshake."},
			{Name: paramMaxMessageSize, Type: botapi.TypeInt, Default: defaultMaxMessageSize,
				Doc: "The largest message accepted, in bytes (1 MiB by default; certificates with long chains exceed the WebSocket library's 32 KiB); a larger message is dropped with an error in the log and the connection is reconnected."},
		}, streamloop.Params()...),
	}
}

// Register adds the CertStream collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// config is the collector's checked parameters.
type config struct {
	url            string
	limits         streamloop.Config
	timeout        time.Duration
	verifyTLS      bool
	caFile         string
	proxy          string
	userAgent      string
	maxMessageSize int64
}

// Collector is the CertStream collector.
type Collector struct {
	bc      *botapi.Context
	cfg     config
	display string
	client  *nethttp.Client
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the CertStream collector; it connects in Collect.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	cfg := config{
		url:            p.String(paramURL),
		limits:         streamloop.ReadConfig(p),
		timeout:        p.Duration(paramTimeout),
		verifyTLS:      p.Bool(paramVerifyTLS),
		caFile:         p.String(paramCAFile),
		proxy:          p.String(paramProxy),
		userAgent:      p.String(paramUserAgent),
		maxMessageSize: p.Int(paramMaxMessageSize),
	}
	display := cfg.url
	if u, err := neturl.Parse(cfg.url); err == nil {
		display = u.Redacted()
	}
	return &Collector{bc: bc, cfg: cfg, display: display}, nil
}

// Validate checks the URL and the limits.
func (c *Collector) Validate() error {
	cfg := &c.cfg
	u, err := neturl.Parse(cfg.url)
	if err != nil || u.Host == "" || (u.Scheme != "ws" && u.Scheme != "wss" && u.Scheme != "http" && u.Scheme != "https") {
		return botapi.ParamErrorf(paramURL, "%q is not an absolute ws:// or wss:// URL", c.display)
	}
	if err := cfg.limits.Check(); err != nil {
		return err
	}
	switch {
	case cfg.timeout <= 0:
		return botapi.ParamErrorf(paramTimeout, "must be positive, got %s", cfg.timeout)
	case cfg.maxMessageSize <= 0:
		return botapi.ParamErrorf(paramMaxMessageSize, "must be positive, got %d", cfg.maxMessageSize)
	}
	_, err = httpcollector.Proxy(cfg.proxy)
	return err
}

// Start builds the HTTP client of the WebSocket handshakes; an unusable
// ca_file stops the bot.
func (c *Collector) Start(context.Context) error {
	tlsConfig, err := httpcollector.TLSConfig(c.cfg.verifyTLS, c.bc.Path(c.cfg.caFile))
	if err != nil {
		return botapi.Fatal(err)
	}
	proxy, _ := httpcollector.Proxy(c.cfg.proxy) // checked by Validate
	dialer := &net.Dialer{Timeout: c.cfg.timeout, KeepAlive: 30 * time.Second}
	timeout := c.cfg.timeout
	c.client = &nethttp.Client{Transport: &nethttp.Transport{
		Proxy: proxy,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &idleConn{Conn: conn, timeout: timeout}, nil
		},
		TLSClientConfig:       tlsConfig,
		TLSHandshakeTimeout:   c.cfg.timeout,
		ResponseHeaderTimeout: c.cfg.timeout,
		// The WebSocket handshake needs HTTP/1.1.
		ForceAttemptHTTP2: false,
	}}
	return nil
}

// Close releases the client's idle connections.
func (c *Collector) Close() error {
	if c.client != nil {
		c.client.CloseIdleConnections()
	}
	return nil
}

// Collect reads the stream until the collection ends.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	return c.collect(ctx, out)
}

// idleConn fails a read that waits longer than timeout for data, so a
// stream that went silent counts as broken. Pings and heartbeats of the
// server are data here, so they keep the connection alive.
type idleConn struct {
	net.Conn
	timeout time.Duration
}

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
