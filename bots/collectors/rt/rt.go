// SPDX-License-Identifier: AGPL-3.0-or-later

package rt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	nethttp "net/http"
	neturl "net/url"
	"regexp"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/since"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// ID is the bot's registry ID.
const ID = "collector.rt"

// IntelMQModule is the IntelMQ module the collector replaces.
const IntelMQModule = "intelmq.bots.collectors.rt.collector_rt"

// Parameter names, IntelMQ's where it has one.
const (
	paramURI             = "uri"
	paramUser            = "user"
	paramPassword        = "password"
	paramOwner           = "search_owner"
	paramQueue           = "search_queue"
	paramRequestor       = "search_requestor"
	paramStatus          = "search_status"
	paramSubjectLike     = "search_subject_like"
	paramSubjectNotLike  = "search_subject_not_like"
	paramNotOlderThan    = "search_not_older_than"
	paramAttachmentRegex = "attachment_regex"
	paramURLRegex        = "url_regex"
	paramExtractAttach   = "extract_attachment"
	paramExtractDownload = "extract_download"
	paramExtractFiles    = "extract_files"
	paramSetStatus       = "set_status"
	paramTakeTicket      = "take_ticket"
	paramHTTPUsername    = "http_username"
	paramHTTPPassword    = "http_password"
	paramClientCert      = "ssl_client_certificate"
	paramVerifyTLS       = "verify_cert"
	paramCAFile          = "ca_file"
	paramUserAgent       = "user_agent"
	paramProxy           = "proxy"
	paramRetries         = "retries"
	paramInterval        = "interval"
	paramTimeout         = "timeout"
	paramMaxSize         = "max_size"
)

// Defaults, IntelMQ's where it has one.
const (
	defaultURI             = "http://localhost/rt/REST/1.0"
	defaultUser            = "intelmq"
	defaultOwner           = "nobody"
	defaultQueue           = "Incident Reports"
	defaultStatus          = "new"
	defaultSubjectLike     = "Report"
	defaultAttachmentRegex = `\.csv\.zip$`
	defaultURLRegex        = `https://dl.shadowserver.org/[a-zA-Z0-9?_-]*`
	defaultSetStatus       = "open"
	defaultUserAgent       = "intelmq-go"
	defaultRetries         = int64(2)
	defaultInterval        = time.Hour // IntelMQ's rate_limit of this collector
	defaultTimeout         = 60 * time.Second
	extractAllPattern      = "*"
)

// Spec returns the declaration of the RT collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: IntelMQModule,
		Doc: "Searches a Request Tracker (RT/RTIR) for tickets through its REST 1.0 interface, as IntelMQ's RT " +
			"collector does, and sends, per ticket, the first attachment whose name matches attachment_regex, or else " +
			"the document at the first URL of the ticket's text that matches url_regex, as Reports (one per file of " +
			"a zip, tar or gzip file when extracting), with rtir_id, extra.file_name and the ticket's extra.ticket_* " +
			"and extra.email_* fields. Once a ticket's reports are sent, the ticket is taken and its status set.",
		Params: []botapi.Param{
			{Name: paramURI, Type: botapi.TypeString, Default: defaultURI,
				Doc: "The base URL of RT's REST 1.0 interface, e.g. \"https://rt.example.org/REST/1.0\" (IntelMQ's uri)."},
			{Name: paramUser, Type: botapi.TypeString, Default: defaultUser,
				Doc: "The RT user (IntelMQ's user)."},
			{Name: paramPassword, Type: botapi.TypeString, Required: true,
				Doc: "The RT user's password (IntelMQ's password)."},
			{Name: paramOwner, Type: botapi.TypeString, Default: defaultOwner,
				Doc: "Only tickets owned by this user (TicketSQL Owner = '...'); empty: any owner (IntelMQ's search_owner)."},
			{Name: paramQueue, Type: botapi.TypeString, Default: defaultQueue,
				Doc: "Only tickets of this queue; empty: every queue (IntelMQ's search_queue)."},
			{Name: paramRequestor, Type: botapi.TypeString, Default: "",
				Doc: "Only tickets with this requestor, e.g. \"autoreports@shadowserver.org\"; empty: any (IntelMQ's search_requestor)."},
			{Name: paramStatus, Type: botapi.TypeString, Default: defaultStatus,
				Doc: "Only tickets with this status; empty: any (IntelMQ's search_status)."},
			{Name: paramSubjectLike, Type: botapi.TypeString, Default: defaultSubjectLike,
				Doc: "Only tickets whose subject contains this text (TicketSQL LIKE); empty: any subject (IntelMQ's search_subject_like)."},
			{Name: paramSubjectNotLike, Type: botapi.TypeString, Default: "",
				Doc: "Leave out tickets whose subject contains this text (TicketSQL NOT LIKE); empty: none (IntelMQ's search_subject_not_like)."},
			{Name: paramNotOlderThan, Type: botapi.TypeString, Default: "",
				Doc: "Only tickets created after this time: an absolute date or time (\"2024-01-31\", \"2024-01-31 12:00:00\", RFC 3339), a relative time as IntelMQ writes it (\"3 days\", \"12 hours\"; second, minute, hour, day, week, month = 30 days, year = 365 days) or a Go duration (\"72h\"), counted back from each collection. The time is sent to RT in UTC. Empty: no limit (IntelMQ's search_not_older_than)."},
			{Name: paramAttachmentRegex, Type: botapi.TypeString, Default: defaultAttachmentRegex,
				Doc: "A regular expression (RE2) searched for in the attachment names of each ticket; the first match is the ticket's report. Empty: attachments are not looked at (IntelMQ's attachment_regex)."},
			{Name: paramURLRegex, Type: botapi.TypeString, Default: defaultURLRegex,
				Doc: "For a ticket without a matching attachment: a regular expression (RE2) whose first match in the text of the ticket's first transaction is downloaded as the report. Empty: no downloads (IntelMQ's url_regex)."},
			{Name: paramExtractAttach, Type: botapi.TypeBool, Default: true,
				Doc: "Unpack a zip, tar or gzip attachment and send each file as a report, with its name in extra.file_name (IntelMQ's extract_attachment). Otherwise the attachment is sent as it is, named after the attachment."},
			{Name: paramExtractDownload, Type: botapi.TypeBool, Default: true,
				Doc: "Unpack a zip, tar or gzip download and send each file as a report (IntelMQ's extract_download). Otherwise the document is sent as it is, named after the download."},
			{Name: paramExtractFiles, Type: botapi.TypeStringList, Default: []string{},
				Doc: "When unpacking, which files of a zip or tar archive become reports, as names or glob patterns (\"*.csv\"); empty or [\"*\"] takes all (IntelMQ's list form of extract_attachment and extract_download)."},
			{Name: paramSetStatus, Type: botapi.TypeString, Default: defaultSetStatus,
				Doc: "The status a ticket gets once its reports are sent; empty leaves the status alone (IntelMQ's set_status)."},
			{Name: paramTakeTicket, Type: botapi.TypeBool, Default: true,
				Doc: "Take a ticket (make the RT user its owner) once its reports are sent (IntelMQ's take_ticket)."},
			{Name: paramHTTPUsername, Type: botapi.TypeString, Default: "",
				Doc: "The user for HTTP basic authentication of URL downloads (IntelMQ's http_username)."},
			{Name: paramHTTPPassword, Type: botapi.TypeString, Default: "",
				Doc: "The password for HTTP basic authentication of URL downloads (IntelMQ's http_password)."},
			{Name: paramClientCert, Type: botapi.TypeString, Default: "",
				Doc: "A PEM client certificate with its key for TLS client authentication of URL downloads (IntelMQ's ssl_client_certificate)."},
			{Name: paramVerifyTLS, Type: botapi.TypeBool, Default: true,
				Doc: "Verify the TLS certificates of RT and of the download servers (IntelMQ's http_verify_cert)."},
			{Name: paramCAFile, Type: botapi.TypeString, Default: "",
				Doc: "A PEM file of CA certificates trusted in addition to the system's, for RT and downloads (IntelMQ's ssl_ca_certificate)."},
			{Name: paramUserAgent, Type: botapi.TypeString, Default: defaultUserAgent,
				Doc: "The User-Agent header of the requests to RT and of downloads (IntelMQ's http_user_agent)."},
			{Name: paramProxy, Type: botapi.TypeString, Default: "",
				Doc: "The proxy URL of URL downloads; empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY, which also apply to RT."},
			{Name: paramRetries, Type: botapi.TypeInt, Default: defaultRetries,
				Doc: "How often a download is tried again after a network error, a timeout, HTTP 429 or 5xx (IntelMQ's http_timeout_max_tries minus one)."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit, 3600 seconds for this collector)."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
				Doc: "How long one request to RT may take, the download of an attachment included; for URL downloads the time to wait for the response and for each part of the body (IntelMQ's http_timeout_sec)."},
			{Name: paramMaxSize, Type: botapi.TypeInt, Default: int64(0),
				Doc: "The largest attachment or download, and the largest total extracted from one, in bytes; a larger one fails its ticket, which is left alone. 0 means no limit."},
		},
	}
}

// Register adds the RT collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the RT collector.
type Collector struct {
	bc *botapi.Context

	uri, user, password string
	search              searchParams
	notOlderThan        string
	attachSrc, urlSrc   string
	attachRe, urlRe     *regexp.Regexp
	extractAttach       bool
	extractDownload     bool
	patterns            []string
	setStatus           string
	take                bool
	verifyTLS           bool
	caFile, userAgent   string
	timeout             time.Duration
	maxSize             int64
	httpCfg             httpcollector.ClientConfig

	since    since.Func // nil: no age limit
	api      *nethttp.Client
	download *httpcollector.Client
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the collector from its parameters.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	c := &Collector{
		bc:  bc,
		uri: p.String(paramURI), user: p.String(paramUser), password: p.String(paramPassword),
		search: searchParams{
			Owner: p.String(paramOwner), Queue: p.String(paramQueue), Requestor: p.String(paramRequestor),
			Status: p.String(paramStatus), SubjectLike: p.String(paramSubjectLike),
			SubjectNotLike: p.String(paramSubjectNotLike),
		},
		notOlderThan:    strings.TrimSpace(p.String(paramNotOlderThan)),
		attachSrc:       p.String(paramAttachmentRegex),
		urlSrc:          p.String(paramURLRegex),
		extractAttach:   p.Bool(paramExtractAttach),
		extractDownload: p.Bool(paramExtractDownload),
		setStatus:       strings.TrimSpace(p.String(paramSetStatus)),
		take:            p.Bool(paramTakeTicket),
		verifyTLS:       p.Bool(paramVerifyTLS),
		caFile:          bc.Path(p.String(paramCAFile)),
		userAgent:       p.String(paramUserAgent),
		timeout:         p.Duration(paramTimeout),
		maxSize:         p.Int(paramMaxSize),
	}
	for _, pat := range p.List(paramExtractFiles) {
		if pat == extractAllPattern {
			c.patterns = nil
			break
		}
		c.patterns = append(c.patterns, pat)
	}
	c.httpCfg = httpcollector.ClientConfig{
		Timeout: c.timeout, Retries: int(p.Int(paramRetries)), VerifyTLS: c.verifyTLS, CAFile: c.caFile,
		ClientCert: bc.Path(p.String(paramClientCert)), Proxy: p.String(paramProxy), UserAgent: c.userAgent,
		Username: p.String(paramHTTPUsername), Password: p.String(paramHTTPPassword), MaxSize: c.maxSize,
	}
	return c, nil
}

// Validate compiles the regular expressions and checks the URL, the age
// limit and the other parameters.
func (c *Collector) Validate() error {
	u, err := neturl.Parse(c.uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return botapi.ParamErrorf(paramURI, "%q is not an http or https URL such as https://rt.example.org/REST/1.0", c.uri)
	}
	if c.attachSrc == "" && c.urlSrc == "" {
		return errors.New("attachment_regex and url_regex are both empty: no ticket could give a report")
	}
	if c.attachRe, err = botapi.CompileRegexp(paramAttachmentRegex, c.attachSrc); err != nil {
		return err
	}
	if c.urlRe, err = botapi.CompileRegexp(paramURLRegex, c.urlSrc); err != nil {
		return err
	}
	if c.since, err = since.Parse(c.notOlderThan); err != nil {
		return &botapi.ParamError{Name: paramNotOlderThan, Err: err}
	}
	for _, pat := range c.patterns {
		if err := httpcollector.CheckPattern(paramExtractFiles, pat); err != nil {
			return err
		}
	}
	switch {
	case c.user == "":
		return botapi.ParamErrorf(paramUser, "must not be empty")
	case c.timeout <= 0:
		return botapi.ParamErrorf(paramTimeout, "must be positive, got %s", c.timeout)
	case c.maxSize < 0:
		return botapi.ParamErrorf(paramMaxSize, "must not be negative, got %d", c.maxSize)
	case c.httpCfg.Retries < 0:
		return botapi.ParamErrorf(paramRetries, "must not be negative, got %d", c.httpCfg.Retries)
	}
	return nil
}

// Start builds the HTTP clients of RT and of the downloads; unusable
// certificate files stop the bot. It does not connect: each collection
// logs in anew, as IntelMQ does.
func (c *Collector) Start(context.Context) error {
	cfg, err := httpcollector.TLSConfig(c.verifyTLS, c.caFile)
	if err != nil {
		return botapi.Fatal(err)
	}
	c.api = &nethttp.Client{
		Timeout: c.timeout,
		Transport: &userAgent{agent: c.userAgent, next: &nethttp.Transport{
			Proxy:               nethttp.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: c.timeout, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:     cfg,
			TLSHandshakeTimeout: c.timeout,
			IdleConnTimeout:     90 * time.Second,
			ForceAttemptHTTP2:   true,
		}},
	}
	if c.urlRe != nil {
		d, err := httpcollector.NewClient(c.httpCfg, c.bc.Clock, c.logger())
		if err != nil {
			return botapi.Fatal(err)
		}
		c.download = d
	}
	if u, err := neturl.Parse(c.uri); err == nil && u.Scheme == "http" && u.Hostname() != "localhost" &&
		!isLoopback(u.Hostname()) {
		c.logger().Warn(fmt.Sprintf("The RT password is sent in clear to %s: use https.", u.Host))
	}
	return nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Close releases the idle connections.
func (c *Collector) Close() error {
	if c.api != nil {
		c.api.CloseIdleConnections()
	}
	if c.download != nil {
		c.download.Close()
	}
	return nil
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}

// userAgent sets the User-Agent header of the requests to RT.
type userAgent struct {
	agent string
	next  nethttp.RoundTripper
}

// CloseIdleConnections lets the client's CloseIdleConnections reach the
// transport.
func (u *userAgent) CloseIdleConnections() {
	if t, ok := u.next.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

func (u *userAgent) RoundTrip(req *nethttp.Request) (*nethttp.Response, error) {
	if u.agent != "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", u.agent)
	}
	return u.next.RoundTrip(req)
}
