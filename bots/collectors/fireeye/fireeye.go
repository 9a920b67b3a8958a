// SPDX-License-Identifier: AGPL-3.0-or-later

package fireeye

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	neturl "net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/bots/internal/seenfiles"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// ID is the bot's registry ID.
const ID = "collector.fireeye_mas"

// Parameter names.
const (
	paramHost            = "host"
	paramRequestDuration = "request_duration"
	paramUsername        = "http_username"
	paramPassword        = "http_password"
	paramInterval        = "interval"
)

// Defaults: IntelMQ's http_timeout_sec (30 s) and http_timeout_max_tries
// (3, so 2 retries); the interval of the other API collectors.
const (
	defaultRequestDuration = "24_hours"
	defaultInterval        = time.Hour
	defaultTimeout         = 30 * time.Second
	defaultRetries         = int64(2)
)

const (
	// stateFileName is the file in the bot's state directory that keeps
	// the UUIDs of the alerts sent.
	stateFileName = "fireeye-alerts.json"
	// malwareObject is the name of the alerts IntelMQ keeps.
	malwareObject = "MALWARE_OBJECT"
)

// products are the products whose malware-object alerts IntelMQ keeps:
// the email and the file analysis appliances.
var products = map[string]bool{"EMAIL_MPS": true, "MAS": true}

// durationPattern is the form of request_duration: "1_hour", "24_hours".
var durationPattern = regexp.MustCompile(`^([1-9][0-9]{0,4})_hours?$`)

// Spec returns the declaration of the Fireeye MAS collector.
func Spec() botapi.Spec {
	params := httpcollector.APIParams(defaultTimeout, defaultRetries)
	for i := range params {
		if params[i].Name == httpcollector.APIParamTimeout {
			params[i].Doc = "How long one request to the appliance may take, from connecting to the end of the answer (IntelMQ's http_timeout_sec)."
		}
	}
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.fireeye.collector_mas",
		Doc: "Collects the malware alerts of a Fireeye email or file analysis appliance (MAS) through its Web Services " +
			"API, as IntelMQ's collector_mas does: it logs in, queries the alerts of the last request_duration, and " +
			"sends the OpenIOC document of each malware-object alert not sent before as a Report, with feed.url set to " +
			"the document's URL; then it logs out. The alerts sent are remembered in the bot's state directory.",
		Params: slices.Concat([]botapi.Param{
			{Name: paramHost, Type: botapi.TypeString, Required: true,
				Doc: "The DNS name of the appliance, optionally with a port, e.g. \"fireeye.example.org\"; the API is at https://<host>/wsapis/v2.0.0/."},
			{Name: paramRequestDuration, Type: botapi.TypeString, Default: defaultRequestDuration,
				Doc: "How far back the alerts are queried, as the appliance writes it: \"24_hours\" or \"48_hours\" (the duration of the alerts query). It should be longer than interval, or alerts are missed."},
			{Name: paramUsername, Type: botapi.TypeString, Required: true,
				Doc: "The user of the appliance's Web Services API, for the login with HTTP basic authentication."},
			{Name: paramPassword, Type: botapi.TypeString, Required: true,
				Doc: "The password of http_username."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit)."},
		}, params, httpcollector.TLSParams()),
	}
}

// Register adds the collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the Fireeye MAS collector.
type Collector struct {
	bc       *botapi.Context
	host     string
	duration string
	interval time.Duration
	cfg      httpcollector.ClientConfig

	window time.Duration // request_duration as a duration
	api    *session
	seen   *seenfiles.Set
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the collector from its parameters; the client is made in
// Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	cfg := httpcollector.APIClientConfig(p)
	cfg.ReadTLS(p, bc.Path)
	cfg.Username = p.String(paramUsername)
	cfg.Password = p.String(paramPassword)
	return &Collector{
		bc:       bc,
		host:     strings.TrimSpace(p.String(paramHost)),
		duration: strings.TrimSpace(p.String(paramRequestDuration)),
		interval: p.Duration(paramInterval),
		cfg:      cfg,
	}, nil
}

// Validate checks the host, the duration, the credentials and the HTTP
// settings.
func (c *Collector) Validate() error {
	if err := checkHost(c.host); err != nil {
		return err
	}
	m := durationPattern.FindStringSubmatch(c.duration)
	if m == nil {
		return botapi.ParamErrorf(paramRequestDuration, "%q is not a duration as the appliance writes it, such as \"24_hours\" or \"48_hours\"", c.duration)
	}
	hours, _ := strconv.Atoi(m[1]) // at most 5 digits
	c.window = time.Duration(hours) * time.Hour
	switch {
	case c.cfg.Username == "":
		return botapi.ParamErrorf(paramUsername, "is empty")
	case c.cfg.Password == "":
		return botapi.ParamErrorf(paramPassword, "is empty")
	case c.cfg.ClientKey != "" && c.cfg.ClientCert == "":
		return errors.New("client_key is set but client_certificate is not")
	}
	return c.cfg.Check()
}

// checkHost accepts a host name or address, optionally with a port.
func checkHost(host string) error {
	if host == "" {
		return botapi.ParamErrorf(paramHost, "is empty; set it to the DNS name of the appliance, such as fireeye.example.org")
	}
	if strings.Contains(host, "@") {
		return botapi.ParamErrorf(paramHost, "must not hold credentials; set http_username and http_password instead")
	}
	u, err := neturl.Parse("https://" + host)
	if err != nil || u.Host != host || u.Hostname() == "" {
		return botapi.ParamErrorf(paramHost, "%q is not a DNS name such as fireeye.example.org (optionally with a port); "+
			"it must not hold a scheme or a path", host)
	}
	return nil
}

// Start builds the HTTP client and reads the UUIDs of the alerts sent.
func (c *Collector) Start(context.Context) error {
	if err := c.Validate(); err != nil {
		return botapi.Fatal(err)
	}
	client, err := newHTTPClient(c.cfg)
	if err != nil {
		return botapi.Fatal(err)
	}
	c.api = &session{
		base:      "https://" + c.host + apiRoot,
		client:    client,
		user:      c.cfg.Username,
		password:  c.cfg.Password,
		userAgent: c.cfg.UserAgent,
		retries:   c.cfg.Retries,
		maxSize:   c.cfg.MaxSize,
		timeout:   c.cfg.Timeout,
		clock:     c.bc.Clock,
		log:       c.logger(),
	}
	path := ""
	if c.bc.StateDir != "" {
		path = filepath.Join(c.bc.StateDir, stateFileName)
	}
	c.seen = seenfiles.Load(path, c.logger())
	if c.interval > c.window {
		c.logger().Warn(fmt.Sprintf("The interval %s is longer than request_duration %s: alerts that occur between two collections may be missed.",
			c.interval, c.duration))
	}
	return nil
}

// Close releases the client's idle connections.
func (c *Collector) Close() error {
	if c.api != nil {
		c.api.client.CloseIdleConnections()
	}
	return nil
}

// Collect logs in, queries the alerts, sends the OpenIOC document of each
// new malware alert and logs out. An alert whose document could not be
// downloaded is logged, the others are sent, and the collection then
// fails so that it is retried.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.api == nil {
		return errors.New("the collector was not started")
	}
	log := c.logger()
	token, err := c.api.login(ctx)
	if err != nil {
		return err
	}
	defer c.api.logout(ctx, token)
	alerts, err := c.api.alerts(ctx, token, c.duration)
	if err != nil {
		return err
	}
	log.Info(fmt.Sprintf("Downloaded %d alerts of the last %s.", len(alerts), c.duration))
	now := c.bc.Clock.Now()
	listed := make(map[string]bool, len(alerts))
	for _, a := range alerts {
		listed[a.UUID] = true
	}
	// The appliance lists an alert for request_duration after it occurred;
	// remembering it twice as long leaves a margin for alerts listed late.
	ttl := 2 * c.window
	if n := c.seen.Expire(now, ttl, func(uuid string) bool { return listed[uuid] }); n > 0 {
		log.Debug(fmt.Sprintf("Forgot %d alerts sent more than %s ago and no longer listed.", n, ttl))
	}
	wanted, sent, failed := 0, 0, 0
	for _, a := range alerts {
		if !products[a.Product] || a.Name != malwareObject {
			log.Debug(fmt.Sprintf("Skipping alert %s: product %q, name %q.", a.UUID, a.Product, a.Name))
			continue
		}
		if c.seen.Sent(a.UUID, "") {
			log.Debug(fmt.Sprintf("Alert %s was collected already.", a.UUID))
			continue
		}
		wanted++
		log.Debug(fmt.Sprintf("Collecting the OpenIOC document of alert %s from product %s.", a.UUID, a.Product))
		doc, err := c.api.openIOC(ctx, token, a.UUID)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed++
			log.Error(fmt.Sprintf("Could not download the OpenIOC document of alert %s: %v.", a.UUID, err))
			continue
		}
		has, err := hasMD5(doc)
		if err != nil {
			failed++
			log.Error(fmt.Sprintf("The OpenIOC document of alert %s is not OpenIOC XML: %v (it begins %.120q).", a.UUID, err, doc))
			continue
		}
		if !has {
			log.Debug(fmt.Sprintf("The OpenIOC document of alert %s has no MD5 file item; nothing to send.", a.UUID))
			c.seen.Add(a.UUID, "", now)
			continue
		}
		r, err := report.OfFile(c.bc, doc, c.api.openIOCURL(a.UUID), "")
		if err != nil {
			return err
		}
		if err := out.Emit(ctx, r); err != nil {
			return err
		}
		c.seen.Add(a.UUID, "", now)
		sent++
	}
	log.Info(fmt.Sprintf("Sent %d reports of %d new malware alerts.", sent, wanted))
	if failed > 0 {
		return fmt.Errorf("%d of %d new malware alerts could not be collected; they are tried again with the next collection",
			failed, wanted)
	}
	return nil
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
