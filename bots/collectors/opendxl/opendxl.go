// SPDX-License-Identifier: AGPL-3.0-or-later

package opendxl

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"

	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/bots/internal/streamloop"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the registry ID of the OpenDXL collector.
const ID = "collector.opendxl"

// Parameter names; IntelMQ's keep theirs.
const (
	paramConfigFile = "dxl_config_file"
	paramTopic      = "dxl_topic"
	paramTimeout    = "timeout"
	paramKeepAlive  = "keep_alive_interval"
)

const (
	// DefaultTopic is IntelMQ's default topic, where McAfee ATD publishes
	// its file reports.
	DefaultTopic     = "/mcafee/event/atd/file/report"
	defaultTimeout   = 30 * time.Second
	defaultKeepAlive = 30 * time.Minute
	// disconnectQuiesce is how long DISCONNECT may take when the
	// collection ends, in milliseconds (paho's unit).
	disconnectQuiesce = 250
	// qos is the QoS of the subscription: DXL publishes everything with
	// QoS 0, so a higher one would change nothing.
	qos = 0
)

// Spec returns the declaration of the OpenDXL collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.opendxl.collector",
		Doc: "Connects to a McAfee/Trellix DXL fabric (MQTT over TLS with a client certificate, set up by a dxlclient.config " +
			"file as the OpenDXL Python client reads it), subscribes to dxl_topic and sends the payload of each DXL event " +
			"as a Report, as IntelMQ's OpenDXL collector does (e.g. the McAfee ATD file reports for parser.mcafee_atd). " +
			"Other DXL messages and undecodable ones are logged and skipped. The brokers are tried in the file's order; " +
			"lost connections are retried with backoff; a collection lasts until the bot stops, or max_duration or " +
			"max_reports is reached.",
		Params: append([]botapi.Param{
			{Name: paramConfigFile, Type: botapi.TypeString, Required: true,
				Doc: "The dxlclient.config file made by the OpenDXL client's provisioning ([Certs] BrokerCertChain, CertFile and PrivateKey, [Brokers]); its file names are relative to its folder. It is read when the bot starts."},
			{Name: paramTopic, Type: botapi.TypeString, Default: DefaultTopic,
				Doc: "The DXL topic to subscribe to; its events become reports. McAfee ATD publishes its file reports on " + DefaultTopic + "."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
				Doc: "How long to wait for a broker's connection, TLS handshake and CONNACK, and for the subscription's SUBACK."},
			{Name: paramKeepAlive, Type: botapi.TypeDuration, Default: defaultKeepAlive,
				Doc: "The MQTT keep-alive interval: the collector pings an otherwise silent broker this often and counts the connection as lost when the answer does not come. 30 minutes, as in the OpenDXL clients; shorten it to notice a dead connection sooner."},
		}, streamloop.Params()...),
	}
}

// Register adds the OpenDXL collector to r.
func Register(r *botapi.Registry) error { return r.Register(Spec(), New) }

// config holds the checked parameters.
type config struct {
	configFile string
	topic      string
	timeout    time.Duration
	keepAlive  time.Duration
	limits     streamloop.Config
}

// Collector is the OpenDXL collector.
type Collector struct {
	bc  *botapi.Context
	cfg config
	// Set by Start.
	dxl      *dxlConfig
	tls      *tls.Config
	clientID string
	display  string
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
)

// New builds the OpenDXL collector; Start reads the configuration file
// and Collect connects.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return &Collector{bc: bc, cfg: config{
		configFile: p.String(paramConfigFile),
		topic:      p.String(paramTopic),
		timeout:    p.Duration(paramTimeout),
		keepAlive:  p.Duration(paramKeepAlive),
		limits:     streamloop.ReadConfig(p),
	}}, nil
}

// Validate checks the parameters; it does not read the configuration file.
func (c *Collector) Validate() error {
	cfg := &c.cfg
	switch {
	case strings.TrimSpace(cfg.configFile) == "":
		return botapi.ParamErrorf(paramConfigFile, "must name the dxlclient.config file")
	case cfg.topic == "":
		return botapi.ParamErrorf(paramTopic, "must not be empty")
	case strings.ContainsAny(cfg.topic, "\x00"):
		return botapi.ParamErrorf(paramTopic, "%q must not contain NUL", cfg.topic)
	case !validFilter(cfg.topic):
		return botapi.ParamErrorf(paramTopic, "%q is not an MQTT topic filter: \"#\" may only be the last level and \"+\" must be a level of its own", cfg.topic)
	case cfg.timeout <= 0:
		return botapi.ParamErrorf(paramTimeout, "must be positive, got %s", cfg.timeout)
	case cfg.keepAlive < time.Second:
		return botapi.ParamErrorf(paramKeepAlive, "must be at least a second, got %s", cfg.keepAlive)
	}
	return cfg.limits.Check()
}

// validFilter checks the wildcards of an MQTT topic filter.
func validFilter(f string) bool {
	levels := strings.Split(f, "/")
	for i, l := range levels {
		switch {
		case l == "#" && i != len(levels)-1:
			return false
		case l != "#" && l != "+" && strings.ContainsAny(l, "#+"):
			return false
		}
	}
	return true
}

// Start reads the dxlclient.config file and the certificates it names; an
// unusable file stops the bot.
func (c *Collector) Start(context.Context) error {
	path := c.bc.Path(c.cfg.configFile)
	dxl, err := readDXLConfig(path)
	if err != nil {
		return botapi.Fatal(fmt.Errorf("%s: %w", paramConfigFile, err))
	}
	t, err := brokerTLS(dxl)
	if err != nil {
		return botapi.Fatal(fmt.Errorf("%s %s: %w", paramConfigFile, path, err))
	}
	if dxl.proxy != "" {
		c.logger().Warn(fmt.Sprintf("Ignoring the [Proxy] of %s: the collector connects to the brokers directly.", path))
	}
	c.clientID = dxl.clientID
	if c.clientID == "" {
		// A new id per start, as the Python client makes one per
		// configuration it loads.
		c.clientID = newClientID()
	}
	var addrs []string
	for _, b := range dxl.brokers {
		addrs = append(addrs, b.addrs()...)
	}
	c.dxl, c.tls, c.display = dxl, t, strings.Join(addrs, ", ")
	return nil
}

// newClientID returns a random UUID in the DXL form: lower case, in
// braces.
func newClientID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("{%x-%x-%x-%x-%x}", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Collect connects, subscribes and sends a report per event until the
// collection ends, reconnecting after failures (streamloop).
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.dxl == nil {
		return errors.New("the collector was not started")
	}
	return streamloop.Run(ctx, c.bc.Clock, c.logger(), c.cfg.limits, c.display, func(sctx, ctx context.Context, p *streamloop.Progress) error {
		return c.session(sctx, ctx, out, p)
	})
}

// delivery is one PUBLISH received.
type delivery struct {
	topic   string
	payload []byte
}

// conn is one MQTT connection to a broker and its subscription.
type conn struct {
	client mqtt.Client
	label  string
	msgs   chan delivery
	lost   chan error
	// done ends the deliveries: the message handler stops waiting.
	done     chan struct{}
	doneOnce sync.Once
}

// close stops the deliveries and disconnects.
func (cn *conn) close() {
	cn.doneOnce.Do(func() { close(cn.done) })
	cn.client.Disconnect(disconnectQuiesce)
}

// session connects to the first broker that answers, subscribes and sends
// the events until the connection is lost (an error) or the collection
// ends (nil). The connection lives in sctx; reports are emitted in ctx, so
// a message received whole is still stored when max_duration ends the
// collection meanwhile.
func (c *Collector) session(sctx, ctx context.Context, out botapi.Emitter, p *streamloop.Progress) error {
	log := c.logger()
	cn, err := c.connect(sctx)
	if err != nil {
		return err
	}
	defer cn.close()
	log.Info(fmt.Sprintf("Connected to the DXL broker %s, subscribing to %s.", cn.label, c.cfg.topic))
	// The messages are read while the SUBACK is awaited: MQTT lets the
	// broker send the first ones before it, and paho reads nothing else
	// while a message waits to be taken.
	tok := cn.client.Subscribe(c.cfg.topic, qos, func(_ mqtt.Client, m mqtt.Message) {
		select {
		case cn.msgs <- delivery{topic: m.Topic(), payload: m.Payload()}:
		case <-cn.done:
		}
	})
	subscribed := tok.Done()
	timer := time.NewTimer(c.cfg.timeout)
	defer timer.Stop()
	for {
		select {
		case <-sctx.Done():
			return nil
		case <-subscribed:
			subscribed = nil
			timer.Stop()
			if err := c.subscription(tok, cn); err != nil {
				return err
			}
			log.Debug(fmt.Sprintf("The DXL broker %s confirmed the subscription to %s.", cn.label, c.cfg.topic))
		case <-timer.C:
			return fmt.Errorf("the DXL broker %s did not confirm the subscription to %s within %s", cn.label, c.cfg.topic, c.cfg.timeout)
		case d := <-cn.msgs:
			if err := c.handle(ctx, d, out, p); err != nil {
				return err
			}
			if p.Full(c.cfg.limits) {
				return nil
			}
		case err := <-cn.lost:
			// A message handed over before the loss is still sent.
			select {
			case d := <-cn.msgs:
				if err := c.handle(ctx, d, out, p); err != nil {
					return err
				}
			default:
			}
			return fmt.Errorf("the connection to the DXL broker %s was lost: %w", cn.label, err)
		}
	}
}

// connect tries the brokers in the file's order, each by host name and
// then by IP address, and returns the first connection. A failure of all
// is retried by the loop, unless every broker refused the client, which
// ends the collection.
func (c *Collector) connect(sctx context.Context) (*conn, error) {
	log := c.logger()
	var failures []string
	refused := true
	for _, b := range c.dxl.brokers {
		for _, addr := range b.addrs() {
			label := fmt.Sprintf("%s (%s)", b.id, addr)
			log.Debug(fmt.Sprintf("Connecting to the DXL broker %s.", label))
			cn, err := c.dial(sctx, addr, label)
			if err == nil {
				return cn, nil
			}
			if sctx.Err() != nil {
				return nil, sctx.Err()
			}
			if !isRefusal(err) {
				refused = false
			}
			reason := strings.TrimRight(connError(err).Error(), ".")
			log.Warn(fmt.Sprintf("Failed to connect to the DXL broker %s: %s.", label, reason))
			failures = append(failures, label+": "+reason)
		}
	}
	err := fmt.Errorf("no DXL broker accepted the connection (%s)", strings.Join(failures, "; "))
	if refused {
		return nil, streamloop.Fatal(err)
	}
	return nil, err
}

// connError removes paho's "network Error : " from the error of a
// connection that failed before CONNACK.
func connError(err error) error {
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		if errs := u.Unwrap(); len(errs) == 2 && errs[0] == packets.ErrorNetworkError {
			return errs[1]
		}
	}
	return err
}

// isRefusal reports whether err is a CONNACK that refuses the client for
// good (retrying in a second would not help), rather than a network error
// or an unavailable server.
func isRefusal(err error) bool {
	for _, e := range []error{packets.ErrorRefusedBadProtocolVersion, packets.ErrorRefusedIDRejected,
		packets.ErrorRefusedBadUsernameOrPassword, packets.ErrorRefusedNotAuthorised} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// dial connects to one broker. The TCP connection and TLS handshake end
// with sctx; so does the MQTT handshake, whose connection is closed when
// sctx ends before CONNACK.
func (c *Collector) dial(sctx context.Context, addr, label string) (*conn, error) {
	cn := &conn{label: label, msgs: make(chan delivery), lost: make(chan error, 1), done: make(chan struct{})}
	var (
		mu              sync.Mutex
		handshakeCancel func() bool
	)
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: c.cfg.timeout, KeepAlive: 30 * time.Second}, Config: c.tls}
	opts := mqtt.NewClientOptions().
		AddBroker((&url.URL{Scheme: "ssl", Host: addr}).String()).
		SetClientID(c.clientID).
		SetProtocolVersion(4). // MQTT 3.1.1, as the DXL clients
		SetCleanSession(true).
		SetAutoReconnect(false).
		SetConnectRetry(false).
		SetOrderMatters(true).
		SetKeepAlive(c.cfg.keepAlive).
		SetConnectTimeout(c.cfg.timeout).
		SetWriteTimeout(c.cfg.timeout).
		SetCustomOpenConnectionFn(func(*url.URL, mqtt.ClientOptions) (net.Conn, error) {
			nc, err := dialer.DialContext(sctx, "tcp", addr)
			if err != nil {
				return nil, err
			}
			mu.Lock()
			handshakeCancel = context.AfterFunc(sctx, func() { _ = nc.Close() })
			mu.Unlock()
			return nc, nil
		}).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			select {
			case cn.lost <- err:
			default:
			}
		})
	cn.client = mqtt.NewClient(opts)
	tok := cn.client.Connect()
	<-tok.Done()
	mu.Lock()
	stop := handshakeCancel
	mu.Unlock()
	if stop != nil && !stop() {
		// sctx ended during the MQTT handshake and closed the connection.
		cn.client.Disconnect(0)
		return nil, sctx.Err()
	}
	if err := tok.Error(); err != nil {
		return nil, err
	}
	return cn, nil
}

// subscription checks the SUBACK: a refused subscription ends the
// collection.
func (c *Collector) subscription(tok mqtt.Token, cn *conn) error {
	if err := tok.Error(); err != nil {
		return fmt.Errorf("subscribing to %s at the DXL broker %s: %w", c.cfg.topic, cn.label, err)
	}
	if st, ok := tok.(*mqtt.SubscribeToken); ok {
		if code, ok := st.Result()[c.cfg.topic]; ok && code >= 0x80 {
			return streamloop.Fatal(fmt.Errorf("the DXL broker %s refused the subscription to %s", cn.label, c.cfg.topic))
		}
	}
	return nil
}

// handle turns one PUBLISH into a report, or logs why it is skipped. A
// failed Emit ends the collection.
func (c *Collector) handle(ctx context.Context, d delivery, out botapi.Emitter, p *streamloop.Progress) error {
	log := c.logger()
	p.Received++
	m, err := decodeMessage(d.payload)
	if err != nil {
		p.Skipped++
		log.Warn(fmt.Sprintf("Skipping a message of %d bytes on the topic %s: it is not a DXL message (%s).",
			len(d.payload), d.topic, strings.TrimRight(err.Error(), ".")))
		return nil
	}
	if m.typ != typeEvent {
		p.Skipped++
		log.Warn(fmt.Sprintf("Skipping the DXL %s %s on the topic %s: only events become reports.", typeName(m.typ), m.messageID, d.topic))
		return nil
	}
	// IntelMQ removes the NUL characters, which terminate the payloads of
	// some publishers.
	payload := bytes.ReplaceAll(m.payload, []byte{0}, nil)
	if len(payload) == 0 {
		p.Skipped++
		log.Warn(fmt.Sprintf("Skipping the DXL event %s on the topic %s: its payload is empty.", m.messageID, d.topic))
		return nil
	}
	log.Debug(fmt.Sprintf("Received the DXL event %s of the client %s on the topic %s, %d bytes of payload.",
		m.messageID, m.sourceClientID, d.topic, len(payload)))
	r, err := report.New(c.bc)
	if err != nil {
		return streamloop.Fatal(err)
	}
	if err := message.SetRawText(r, payload); err != nil {
		return streamloop.Fatal(botapi.Permanent(err))
	}
	if err := out.Emit(ctx, r); err != nil {
		return streamloop.Fatal(err)
	}
	p.Sent++
	return nil
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
