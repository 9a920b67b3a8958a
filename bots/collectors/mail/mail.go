// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// The IDs of the three collectors.
const (
	AttachID = "collector.mail_attach"
	BodyID   = "collector.mail_body"
	URLID    = "collector.mail_url"
)

// Parameter names, IntelMQ's where it has one.
const (
	paramHost       = "mail_host"
	paramPort       = "mail_port"
	paramUser       = "mail_user"
	paramPassword   = "mail_password"
	paramSSL        = "mail_ssl"
	paramStartTLS   = "mail_starttls"
	paramVerifyTLS  = "verify_cert"
	paramCAFile     = "ca_file"
	paramFolder     = "folder"
	paramSubject    = "subject_regex"
	paramSentFrom   = "sent_from"
	paramSentTo     = "sent_to"
	paramMarkAsRead = "mail_mark_as_read"
	paramInterval   = "interval"
	paramTimeout    = "timeout"
	paramMaxSize    = "max_size"

	paramAttachRegex  = "attach_regex"
	paramExtractFiles = "extract_files"

	paramContentTypes = "content_types"

	paramURLRegex     = "url_regex"
	paramHTTPUsername = "http_username"
	paramHTTPPassword = "http_password"
	paramUserAgent    = "user_agent"
	paramProxy        = "proxy"
	paramRetries      = "retries"
)

// Defaults.
const (
	defaultFolder      = "INBOX"
	defaultInterval    = time.Minute // IntelMQ's rate_limit of the mail collectors
	defaultTimeout     = 30 * time.Second
	defaultAttachRegex = "csv.zip"
	defaultURLRegex    = `https?://[^\s<>"']+`
	defaultUserAgent   = "intelmq-go"
	defaultRetries     = int64(2)
	tlsPort            = 993
	plainPort          = 143
	stateFileName      = "mail-seen.json"
	extractAllPattern  = "*"
)

// The content types of the body collector.
const (
	contentPlain = "plain"
	contentHTML  = "html"
)

// mode is which IntelMQ mail collector a bot is.
type mode uint8

const (
	modeAttach mode = iota + 1
	modeBody
	modeURL
)

// commonParams are the parameters of every mail collector.
func commonParams() []botapi.Param {
	return []botapi.Param{
		{Name: paramHost, Type: botapi.TypeString, Required: true,
			Doc: "The IMAP server's host name or address (IntelMQ's mail_host)."},
		{Name: paramPort, Type: botapi.TypeInt, Default: int64(0),
			Doc: "The IMAP server's port; 0 means 993 with mail_ssl, else 143 (IntelMQ's mail_port)."},
		{Name: paramUser, Type: botapi.TypeString, Required: true,
			Doc: "The IMAP user (IntelMQ's mail_user)."},
		{Name: paramPassword, Type: botapi.TypeString, Required: true,
			Doc: "The IMAP password (IntelMQ's mail_password)."},
		{Name: paramSSL, Type: botapi.TypeBool, Default: true,
			Doc: "Connect with TLS from the start, IMAPS (IntelMQ's mail_ssl)."},
		{Name: paramStartTLS, Type: botapi.TypeBool, Default: false,
			Doc: "Without mail_ssl: connect in plain text and switch to TLS with STARTTLS before logging in (IntelMQ's mail_starttls). With neither, the password is sent in clear."},
		{Name: paramVerifyTLS, Type: botapi.TypeBool, Default: true,
			Doc: "Verify the TLS certificates of the IMAP server and, for mail_url, of the web server (IntelMQ's http_verify_cert)."},
		{Name: paramCAFile, Type: botapi.TypeString, Default: "",
			Doc: "A PEM file of CA certificates trusted in addition to the system's, for IMAP and HTTP (IntelMQ's ssl_ca_certificate)."},
		{Name: paramFolder, Type: botapi.TypeString, Default: defaultFolder,
			Doc: "The IMAP folder to read (IntelMQ's folder)."},
		{Name: paramSubject, Type: botapi.TypeString, Default: "",
			Doc: "A regular expression (RE2) searched for in the decoded subject; mails whose subject does not match are left alone. Empty takes every mail (IntelMQ's subject_regex)."},
		{Name: paramSentFrom, Type: botapi.TypeString, Default: "",
			Doc: "Only mails whose From header contains this text, as the IMAP server's FROM search (IntelMQ's sent_from)."},
		{Name: paramSentTo, Type: botapi.TypeString, Default: "",
			Doc: "Only mails whose To header contains this text, as the IMAP server's TO search (IntelMQ's sent_to)."},
		{Name: paramMarkAsRead, Type: botapi.TypeBool, Default: true,
			Doc: "Read only unread mails and mark each mail read (\\Seen) once its reports are sent, as IntelMQ does. False opens the folder read-only, reads every mail and remembers the ones handled in the bot's state directory instead."},
		{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
			Doc: "The time between two collections (IntelMQ's rate_limit, 60 seconds for these collectors)."},
		{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
			Doc: "How long connecting may take, and each IMAP command, the download of one mail included; for mail_url also the HTTP timeout."},
		{Name: paramMaxSize, Type: botapi.TypeInt, Default: int64(0),
			Doc: "The largest mail fetched, in bytes (a larger one stays unread and fails the collection), and the largest total extracted from an attachment or downloaded; 0 means no limit."},
	}
}

// spec returns the declaration of the collector of mode m.
func spec(m mode) botapi.Spec {
	params := commonParams()
	switch m {
	case modeAttach:
		params = append(params,
			botapi.Param{Name: paramAttachRegex, Type: botapi.TypeString, Default: defaultAttachRegex,
				Doc: "A regular expression (RE2) searched for in the file name of each attachment; the matching ones become reports (IntelMQ's attach_regex)."},
			botapi.Param{Name: paramExtractFiles, Type: botapi.TypeStringList, Default: []string{},
				Doc: "Which files of a zip or tar attachment become reports, as names or glob patterns (\"*.csv\"); empty or [\"*\"] takes all. Archives are recognised by their content; another attachment is sent as it is."})
		return botapi.Spec{ID: AttachID, Kind: botapi.KindCollector, Params: params,
			Doc: "Reads unread mails of an IMAP folder, as IntelMQ's mail attachment collector does, and sends each attachment whose name matches attach_regex as a Report (the files of a zip, tar or gzip attachment one by one), with extra.file_name and the mail's extra.email_* fields."}
	case modeBody:
		params = append(params,
			botapi.Param{Name: paramContentTypes, Type: botapi.TypeStringList, Default: []string{contentPlain, contentHTML},
				Doc: "Which bodies become reports, in this order: \"plain\" (text/plain) and \"html\" (text/html) (IntelMQ's content_types)."})
		return botapi.Spec{ID: BodyID, Kind: botapi.KindCollector, Params: params,
			Doc: "Reads unread mails of an IMAP folder, as IntelMQ's mail body collector does, and sends each text body of the types in content_types as a Report, with the mail's extra.email_* fields."}
	default:
		params = append(params,
			botapi.Param{Name: paramURLRegex, Type: botapi.TypeString, Default: defaultURLRegex,
				Doc: "A regular expression (RE2) whose first match in each text/plain body is the URL to download (IntelMQ's url_regex)."},
			botapi.Param{Name: paramHTTPUsername, Type: botapi.TypeString, Default: "",
				Doc: "The user for HTTP basic authentication of the download (IntelMQ's http_username)."},
			botapi.Param{Name: paramHTTPPassword, Type: botapi.TypeString, Default: "",
				Doc: "The password for HTTP basic authentication of the download (IntelMQ's http_password)."},
			botapi.Param{Name: paramUserAgent, Type: botapi.TypeString, Default: defaultUserAgent,
				Doc: "The User-Agent header of the download (IntelMQ's http_user_agent)."},
			botapi.Param{Name: paramProxy, Type: botapi.TypeString, Default: "",
				Doc: "The proxy URL of the download; empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY."},
			botapi.Param{Name: paramRetries, Type: botapi.TypeInt, Default: defaultRetries,
				Doc: "How often a download is tried again after a network error, a timeout, HTTP 429 or 5xx (IntelMQ's http_timeout_max_tries minus one)."})
		return botapi.Spec{ID: URLID, Kind: botapi.KindCollector, Params: params,
			Doc: "Reads unread mails of an IMAP folder, as IntelMQ's mail URL collector does, downloads the first URL matching url_regex of each text body and sends the document as a Report, with feed.url, extra.file_name and the mail's extra.email_* fields."}
	}
}

// AttachSpec, BodySpec and URLSpec return the declarations of the three
// collectors.
func AttachSpec() botapi.Spec { return spec(modeAttach) }

// BodySpec returns the declaration of the mail body collector.
func BodySpec() botapi.Spec { return spec(modeBody) }

// URLSpec returns the declaration of the mail URL collector.
func URLSpec() botapi.Spec { return spec(modeURL) }

// Register adds the three mail collectors to r.
func Register(r *botapi.Registry) error {
	for _, m := range []mode{modeAttach, modeBody, modeURL} {
		if err := r.Register(spec(m), constructor(m)); err != nil {
			return err
		}
	}
	return nil
}

// NewAttach, NewBody and NewURL build the collectors from their
// parameters.
func NewAttach(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return newCollector(bc, p, modeAttach)
}

// NewBody builds the mail body collector.
func NewBody(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return newCollector(bc, p, modeBody)
}

// NewURL builds the mail URL collector.
func NewURL(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return newCollector(bc, p, modeURL)
}

func constructor(m mode) botapi.Constructor {
	switch m {
	case modeAttach:
		return NewAttach
	case modeBody:
		return NewBody
	}
	return NewURL
}

// imapConfig is how to reach and read the mailbox.
type imapConfig struct {
	host, user, password string
	port                 int
	ssl, startTLS        bool
	verifyTLS            bool
	caFile               string
	folder               string
	sentFrom, sentTo     string
	timeout              time.Duration
}

// Collector is one of the mail collectors.
type Collector struct {
	bc       *botapi.Context
	mode     mode
	imap     imapConfig
	markRead bool
	maxSize  int64

	subjectRe, attachRe, urlRe *regexp.Regexp
	subjectSrc, attachSrc      string
	urlSrc                     string
	patterns                   []string
	contentTypes               []string
	httpCfg                    httpcollector.ClientConfig

	tls    *tls.Config
	client *httpcollector.Client // mail_url only
	seen   *seenState            // with mail_mark_as_read = false
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

func newCollector(bc *botapi.Context, p botapi.Params, m mode) (*Collector, error) {
	c := &Collector{
		bc:   bc,
		mode: m,
		imap: imapConfig{
			host: p.String(paramHost), port: int(p.Int(paramPort)),
			user: p.String(paramUser), password: p.String(paramPassword),
			ssl: p.Bool(paramSSL), startTLS: p.Bool(paramStartTLS),
			verifyTLS: p.Bool(paramVerifyTLS), caFile: p.String(paramCAFile),
			folder:   p.String(paramFolder),
			sentFrom: p.String(paramSentFrom), sentTo: p.String(paramSentTo),
			timeout: p.Duration(paramTimeout),
		},
		markRead:   p.Bool(paramMarkAsRead),
		maxSize:    p.Int(paramMaxSize),
		subjectSrc: p.String(paramSubject),
	}
	if c.imap.port == 0 {
		c.imap.port = plainPort
		if c.imap.ssl {
			c.imap.port = tlsPort
		}
	}
	switch m {
	case modeAttach:
		c.attachSrc = p.String(paramAttachRegex)
		for _, pat := range p.List(paramExtractFiles) {
			if pat == extractAllPattern {
				c.patterns = nil
				break
			}
			c.patterns = append(c.patterns, pat)
		}
	case modeBody:
		for _, t := range p.List(paramContentTypes) {
			c.contentTypes = append(c.contentTypes, strings.TrimPrefix(strings.ToLower(strings.TrimSpace(t)), "text/"))
		}
		if len(c.contentTypes) == 0 {
			c.contentTypes = []string{contentPlain, contentHTML}
		}
	case modeURL:
		c.urlSrc = p.String(paramURLRegex)
		c.httpCfg = httpcollector.ClientConfig{
			Timeout: c.imap.timeout, Retries: int(p.Int(paramRetries)), VerifyTLS: c.imap.verifyTLS,
			CAFile: bc.Path(c.imap.caFile), Proxy: p.String(paramProxy), UserAgent: p.String(paramUserAgent),
			Username: p.String(paramHTTPUsername), Password: p.String(paramHTTPPassword), MaxSize: c.maxSize,
		}
	}
	return c, nil
}

// Validate compiles the regular expressions and checks the other
// parameters together.
func (c *Collector) Validate() error {
	var err error
	if c.subjectRe, err = botapi.CompileRegexp(paramSubject, c.subjectSrc); err != nil {
		return err
	}
	switch c.mode {
	case modeAttach:
		if c.attachSrc == "" {
			return botapi.ParamErrorf(paramAttachRegex, "must not be empty")
		}
		if c.attachRe, err = botapi.CompileRegexp(paramAttachRegex, c.attachSrc); err != nil {
			return err
		}
		for _, pat := range c.patterns {
			if err := httpcollector.CheckPattern(paramExtractFiles, pat); err != nil {
				return err
			}
		}
	case modeBody:
		for _, t := range c.contentTypes {
			if t != contentPlain && t != contentHTML {
				return botapi.ParamErrorf(paramContentTypes, "%q is neither \"plain\" nor \"html\"", t)
			}
		}
	case modeURL:
		if c.urlSrc == "" {
			return botapi.ParamErrorf(paramURLRegex, "must not be empty")
		}
		if c.urlRe, err = botapi.CompileRegexp(paramURLRegex, c.urlSrc); err != nil {
			return err
		}
		if c.httpCfg.Retries < 0 {
			return botapi.ParamErrorf(paramRetries, "must not be negative, got %d", c.httpCfg.Retries)
		}
	}
	switch {
	case c.imap.host == "":
		return botapi.ParamErrorf(paramHost, "must not be empty")
	case c.imap.port < 1 || c.imap.port > 65535:
		return botapi.ParamErrorf(paramPort, "%d is not a TCP port", c.imap.port)
	case c.imap.folder == "":
		return botapi.ParamErrorf(paramFolder, "must not be empty")
	case c.imap.timeout <= 0:
		return botapi.ParamErrorf(paramTimeout, "must be positive, got %s", c.imap.timeout)
	case c.maxSize < 0:
		return botapi.ParamErrorf(paramMaxSize, "must not be negative, got %d", c.maxSize)
	}
	return nil
}

// Start builds the TLS configuration and, for mail_url, the HTTP client,
// and loads the handled mails of a read-only collector. Unusable
// certificate files stop the bot. It does not connect: each collection
// connects anew, as IntelMQ does.
func (c *Collector) Start(context.Context) error {
	caFile := c.imap.caFile
	if caFile != "" {
		caFile = c.bc.Path(caFile)
	}
	cfg, err := httpcollector.TLSConfig(c.imap.verifyTLS, caFile)
	if err != nil {
		return botapi.Fatal(err)
	}
	cfg.ServerName = c.imap.host
	c.tls = cfg
	if c.mode == modeURL {
		client, err := httpcollector.NewClient(c.httpCfg, c.bc.Clock, c.logger())
		if err != nil {
			return botapi.Fatal(err)
		}
		c.client = client
	}
	if !c.markRead {
		path := ""
		if c.bc.StateDir != "" {
			path = filepath.Join(c.bc.StateDir, stateFileName)
		} else {
			c.logger().Warn("The bot has no state directory: the mails handled are remembered only while it runs.")
		}
		c.seen = loadSeenState(path, c.logger())
	}
	if !c.imap.ssl && !c.imap.startTLS {
		c.logger().Warn(fmt.Sprintf("Neither mail_ssl nor mail_starttls is set: the password for %s is sent in clear.", c.imap.host))
	}
	return nil
}

// Close releases the HTTP client's idle connections.
func (c *Collector) Close() error {
	if c.client != nil {
		c.client.Close()
	}
	return nil
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}

// wantsType reports whether the body collector sends bodies of type t.
func (c *Collector) wantsType(t string) bool {
	return slices.Contains(c.contentTypes, t)
}
