// SPDX-License-Identifier: AGPL-3.0-or-later

package stomp

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/bots/internal/streamloop"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the registry ID of the STOMP collector.
const ID = "collector.stomp"

// Parameter names; those of IntelMQ keep their names.
const (
	paramServer         = "server"
	paramVHost          = "vhost"
	paramPort           = "port"
	paramExchange       = "exchange"
	paramUsername       = "username"
	paramPassword       = "password"
	paramCertAuth       = "auth_by_ssl_client_certificate"
	paramCAFile         = "ssl_ca_certificate"
	paramClientCert     = "ssl_client_certificate"
	paramClientKey      = "ssl_client_certificate_key"
	paramHeartbeat      = "heartbeat"
	paramUseTLS         = "use_tls"
	paramVerifyTLS      = "verify_cert"
	paramTimeout        = "timeout"
	paramMaxMessageSize = "max_message_size"
)

const (
	defaultPort           = int64(61614)
	defaultHeartbeat      = int64(6000)
	defaultTimeout        = 30 * time.Second
	defaultMaxMessageSize = int64(16 << 20)
	// disconnectWait bounds the wait for the RECEIPT of DISCONNECT.
	disconnectWait = 2 * time.Second
	keyFeedURL     = "feed.url"
)

// Spec returns the declaration of the STOMP collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.stomp.collector",
		Doc: "Subscribes to a destination of a STOMP server over TLS, as IntelMQ's STOMP collector does (e.g. CERT.pl's " +
			"n6 Stream API), and sends the body of each message as a Report with feed.url stomp://server:port/exchange. " +
			"A message is acknowledged only after its report is stored, so a message is never lost but may come twice " +
			"after a broken connection. Lost connections are retried with backoff; a collection lasts until the bot stops, " +
			"or max_duration or max_reports is reached.",
		Params: append([]botapi.Param{
			{Name: paramServer, Type: botapi.TypeString, Required: true,
				Doc: "The host name of the STOMP server, e.g. \"n6stream-new.cert.pl\"; it is also the host header of CONNECT and the name the TLS certificate must have."},
			{Name: paramVHost, Type: botapi.TypeString, Default: "",
				Doc: "The host header of CONNECT, the broker's virtual host; empty sends the server's name, as IntelMQ's stomp.py does. RabbitMQ's STOMP plugin takes it as the vhost: set \"/\" for its default one."},
			{Name: paramPort, Type: botapi.TypeInt, Default: defaultPort,
				Doc: "The port of the STOMP server."},
			{Name: paramExchange, Type: botapi.TypeString, Required: true,
				Doc: "The destination to subscribe to, e.g. \"/exchange/my.example.org/*.*.*.*\" as CERT.pl gives it."},
			{Name: paramUsername, Type: botapi.TypeString, Default: "",
				Doc: "The login of CONNECT, unless auth_by_ssl_client_certificate is set; empty sends none."},
			{Name: paramPassword, Type: botapi.TypeString, Default: "",
				Doc: "The passcode of CONNECT (for n6, the API key), unless auth_by_ssl_client_certificate is set."},
			{Name: paramCertAuth, Type: botapi.TypeBool, Default: false,
				Doc: "Authenticate with the TLS client certificate ssl_client_certificate and its key instead of username and password."},
			{Name: paramCAFile, Type: botapi.TypeString, Default: "",
				Doc: "A PEM file of CA certificates trusted in addition to the system's; empty trusts the system's only."},
			{Name: paramClientCert, Type: botapi.TypeString, Default: "",
				Doc: "The PEM file of the TLS client certificate, with auth_by_ssl_client_certificate."},
			{Name: paramClientKey, Type: botapi.TypeString, Default: "",
				Doc: "The PEM file of the client certificate's key, with auth_by_ssl_client_certificate."},
			{Name: paramHeartbeat, Type: botapi.TypeInt, Default: defaultHeartbeat,
				Doc: "The STOMP heart-beat interval in milliseconds, offered for both directions; a server silent for 1.5 times the negotiated interval counts as gone and the collector reconnects. 0 disables heart-beats."},
			{Name: paramUseTLS, Type: botapi.TypeBool, Default: true,
				Doc: "Connect with TLS, as IntelMQ always does; false speaks plain STOMP (e.g. to a local broker on port 61613), and the password then travels in clear."},
			{Name: paramVerifyTLS, Type: botapi.TypeBool, Default: true,
				Doc: "Verify the server's TLS certificate and name."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
				Doc: "How long to wait for the connection, the TLS handshake, the server's CONNECTED, and for each frame sent."},
			{Name: paramMaxMessageSize, Type: botapi.TypeInt, Default: defaultMaxMessageSize,
				Doc: "The largest message body accepted, in bytes; a larger message is acknowledged and dropped with an error in the log."},
		}, streamloop.Params()...),
	}
}

// config holds the checked parameters.
type config struct {
	server, exchange   string
	vhost              string
	port               int64
	username, password string
	certAuth           bool
	caFile             string
	clientCert         string
	clientKey          string
	heartbeat          int64
	useTLS, verifyTLS  bool
	timeout            time.Duration
	limits             streamloop.Config
	maxMessageSize     int64
	addr, feedURL      string
}

// Collector is the STOMP collector.
type Collector struct {
	bc     *botapi.Context
	cfg    config
	client *clientConfig
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
)

// New builds the STOMP collector; it connects in Collect.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	cfg := config{
		server: p.String(paramServer), vhost: p.String(paramVHost), port: p.Int(paramPort), exchange: p.String(paramExchange),
		username: p.String(paramUsername), password: p.String(paramPassword),
		certAuth: p.Bool(paramCertAuth), caFile: p.String(paramCAFile),
		clientCert: p.String(paramClientCert), clientKey: p.String(paramClientKey),
		heartbeat: p.Int(paramHeartbeat), useTLS: p.Bool(paramUseTLS), verifyTLS: p.Bool(paramVerifyTLS),
		timeout: p.Duration(paramTimeout), limits: streamloop.ReadConfig(p),
		maxMessageSize: p.Int(paramMaxMessageSize),
	}
	port := strconv.FormatInt(cfg.port, 10)
	cfg.addr = net.JoinHostPort(cfg.server, port)
	// IntelMQ's form, which doubles the slash of a destination such as
	// "/exchange/...".
	cfg.feedURL = "stomp://" + cfg.server + ":" + port + "/" + cfg.exchange
	return &Collector{bc: bc, cfg: cfg}, nil
}

// Validate checks the parameters together.
func (c *Collector) Validate() error {
	cfg := &c.cfg
	switch {
	case strings.TrimSpace(cfg.server) == "" || strings.ContainsAny(cfg.server, " \t\r\n/\x00"):
		return botapi.ParamErrorf(paramServer, "%q is not a host name", cfg.server)
	case cfg.port < 1 || cfg.port > 65535:
		return botapi.ParamErrorf(paramPort, "must be between 1 and 65535, got %d", cfg.port)
	case cfg.exchange == "":
		return botapi.ParamErrorf(paramExchange, "the destination to subscribe to must not be empty")
	case strings.ContainsAny(cfg.exchange, "\r\n\x00"):
		return botapi.ParamErrorf(paramExchange, "%q must not contain line breaks or NUL", cfg.exchange)
	case strings.ContainsAny(cfg.vhost, "\r\n\x00"):
		return botapi.ParamErrorf(paramVHost, "%q must not contain line breaks or NUL", cfg.vhost)
	case strings.ContainsAny(cfg.username+cfg.password, "\r\n\x00"):
		return errors.New("username and password must not contain line breaks or NUL")
	case cfg.certAuth && !cfg.useTLS:
		return errors.New("auth_by_ssl_client_certificate needs use_tls")
	case cfg.certAuth && (cfg.clientCert == "" || cfg.clientKey == ""):
		return errors.New("auth_by_ssl_client_certificate needs ssl_client_certificate and ssl_client_certificate_key")
	case cfg.heartbeat < 0:
		return botapi.ParamErrorf(paramHeartbeat, "must not be negative, got %d", cfg.heartbeat)
	case cfg.timeout <= 0:
		return botapi.ParamErrorf(paramTimeout, "must be positive, got %s", cfg.timeout)
	case cfg.maxMessageSize <= 0:
		return botapi.ParamErrorf(paramMaxMessageSize, "must be positive, got %d", cfg.maxMessageSize)
	}
	return cfg.limits.Check()
}

// Start builds the TLS configuration; unusable certificate files stop the
// bot. It does not connect: Collect does.
func (c *Collector) Start(context.Context) error {
	cfg := &c.cfg
	cc := &clientConfig{
		addr: cfg.addr, host: cmp.Or(cfg.vhost, cfg.server), heartbeat: time.Duration(cfg.heartbeat) * time.Millisecond,
		timeout: cfg.timeout, maxBody: cfg.maxMessageSize,
	}
	if !cfg.certAuth {
		cc.login, cc.passcode = cfg.username, cfg.password
	}
	if cfg.useTLS {
		caFile := cfg.caFile
		if caFile != "" {
			caFile = c.bc.Path(caFile)
			if _, err := os.Stat(caFile); err != nil {
				return botapi.Fatal(fmt.Errorf("%s: %w", paramCAFile, err))
			}
		}
		t, err := httpcollector.TLSConfig(cfg.verifyTLS, caFile)
		if err != nil {
			return botapi.Fatal(fmt.Errorf("%s: %w", paramCAFile, err))
		}
		t.ServerName = cfg.server
		t.MinVersion = tls.VersionTLS12
		if cfg.certAuth {
			cert, err := tls.LoadX509KeyPair(c.bc.Path(cfg.clientCert), c.bc.Path(cfg.clientKey))
			if err != nil {
				return botapi.Fatal(fmt.Errorf("loading %s and %s: %w", paramClientCert, paramClientKey, err))
			}
			t.Certificates = []tls.Certificate{cert}
		}
		cc.tls = t
	} else if cc.passcode != "" && !isLoopback(cfg.server) {
		c.logger().Warn(fmt.Sprintf("use_tls is false: the password for %s is sent in clear.", cfg.addr))
	}
	c.client = cc
	return nil
}

// isLoopback reports whether host is this machine, where plain STOMP
// exposes nothing.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Collect connects, subscribes and sends a report per message until the
// collection ends, reconnecting after failures (streamloop).
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	return streamloop.Run(ctx, c.bc.Clock, c.logger(), c.cfg.limits, c.cfg.addr, func(sctx, ctx context.Context, p *streamloop.Progress) error {
		return c.session(sctx, ctx, out, p)
	})
}

// session connects once and sends the messages until the connection
// breaks (an error) or the collection ends (nil). The connection lives in
// sctx; reports are emitted in ctx, so a message received completely is
// stored and acknowledged even when max_duration ends the stream
// meanwhile.
func (c *Collector) session(sctx, ctx context.Context, out botapi.Emitter, p *streamloop.Progress) error {
	log := c.logger()
	log.Info(fmt.Sprintf("Connecting to the STOMP server %s.", c.cfg.addr))
	cl, err := dial(sctx, c.client)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer cl.close()
	stop := context.AfterFunc(sctx, cl.interrupt)
	defer stop()
	if err := cl.connect(c.client); err != nil {
		var re *refusedError
		if errors.As(err, &re) {
			return streamloop.Fatal(err)
		}
		return err
	}
	if err := cl.subscribe(c.cfg.exchange); err != nil {
		return err
	}
	log.Info(fmt.Sprintf("Connected to %s with STOMP %s and subscribed to %s.", c.cfg.addr, cl.version, c.cfg.exchange))
	if cl.sendEvery > 0 || cl.recvWithin > 0 {
		log.Debug(fmt.Sprintf("Heart-beats: sending every %s, expecting data within %s.", cl.sendEvery, cl.recvWithin))
	}
	go cl.heartbeats()
	err = c.receive(sctx, ctx, cl, out, p)
	if err == nil || sctx.Err() != nil {
		// The collection ends on a healthy connection: say goodbye, so
		// the server has every ACK.
		if derr := cl.disconnect(min(disconnectWait, c.cfg.timeout)); derr != nil {
			log.Debug(fmt.Sprintf("No receipt for DISCONNECT: %s.", strings.TrimRight(derr.Error(), ".")))
		}
		return nil
	}
	return err
}

// receive reads the frames until the connection breaks, the collection
// ends or max_reports is reached.
func (c *Collector) receive(sctx, ctx context.Context, cl *client, out botapi.Emitter, p *streamloop.Progress) error {
	log := c.logger()
	for {
		f, err := cl.fr.read()
		if err != nil {
			if sctx.Err() != nil {
				return nil
			}
			if errors.Is(err, os.ErrDeadlineExceeded) && cl.recvWithin > 0 {
				return fmt.Errorf("the server sent nothing for %s, beyond its heart-beat interval", cl.recvWithin)
			}
			if errors.Is(err, io.EOF) {
				return errors.New("the server closed the connection")
			}
			return fmt.Errorf("reading: %w", err)
		}
		switch f.command {
		case cmdMessage:
			done, err := c.message(ctx, cl, f, out, p)
			if err != nil || done {
				return err
			}
		case cmdError:
			text := strings.TrimRight(f.errorText(), ".")
			log.Error(fmt.Sprintf("The STOMP server %s sent an error: %s.", c.cfg.addr, text))
			return fmt.Errorf("the server sent an error: %s", text)
		case cmdReceipt:
			log.Debug("Ignoring a RECEIPT frame that was not asked for.")
		default:
			log.Warn(fmt.Sprintf("Ignoring %s, which a STOMP server does not send to a client.", f.describe()))
		}
	}
}

// message handles one MESSAGE frame: it sends its report, then
// acknowledges it. A message that cannot become a report is logged,
// acknowledged and dropped. done is true when max_reports is reached.
// A failed Emit ends the collection (streamloop.Fatal) and leaves the
// message unacknowledged.
func (c *Collector) message(ctx context.Context, cl *client, f *frame, out botapi.Emitter, p *streamloop.Progress) (done bool, err error) {
	log := c.logger()
	if sub, ok := f.get("subscription"); ok && sub != subscriptionID {
		log.Warn(fmt.Sprintf("Ignoring %s of the subscription %q, which the collector did not make.", f.describe(), sub))
		return false, nil
	}
	p.Received++
	var drop string
	body := bytes.TrimRightFunc(f.body, unicode.IsSpace)
	switch {
	case f.bad != nil:
		drop = fmt.Sprintf("its headers are malformed (%s)", strings.TrimRight(f.bad.Error(), "."))
	case f.oversize:
		drop = fmt.Sprintf("its body of %d bytes exceeds max_message_size %d", f.size, c.cfg.maxMessageSize)
	case len(body) == 0:
		drop = "its body is empty"
	}
	if drop != "" {
		log.Error(fmt.Sprintf("Dropping %s: %s.", f.describe(), drop))
		p.Skipped++
		return false, c.ack(cl, f)
	}
	log.Debug(fmt.Sprintf("Received %s of %d bytes.", f.describe(), len(f.body)))
	r, err := report.New(c.bc)
	if err != nil {
		return false, streamloop.Fatal(err)
	}
	if err := message.SetRawText(r, body); err != nil {
		return false, streamloop.Fatal(botapi.Permanent(err))
	}
	if err := r.Set(keyFeedURL, harmonization.String(c.cfg.feedURL)); err != nil {
		return false, streamloop.Fatal(botapi.Permanent(fmt.Errorf("feed.url: %w", err)))
	}
	if err := out.Emit(ctx, r); err != nil {
		return false, streamloop.Fatal(err)
	}
	p.Sent++
	if err := c.ack(cl, f); err != nil {
		return false, err
	}
	return p.Full(c.cfg.limits), nil
}

// ack acknowledges f; a frame without the headers an ACK needs is logged,
// as the server will deliver it again.
func (c *Collector) ack(cl *client, f *frame) error {
	err := cl.ack(f)
	if errors.Is(err, errNoAckID) {
		c.logger().Warn(fmt.Sprintf("Cannot acknowledge %s: it has no ack header (STOMP 1.2) or message-id (STOMP 1.1).", f.describe()))
		return nil
	}
	return err
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}

// Register adds the STOMP collector to r.
func Register(r *botapi.Registry) error { return r.Register(Spec(), New) }
