// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/intelmq-go/intelmq/bots/internal/chunk"
	"github.com/intelmq-go/intelmq/bots/internal/pyformat"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// ID is the bot's registry ID.
const ID = "collector.http"

// Parameter names.
const (
	paramURL           = "url"
	paramURLFormatting = "url_formatting"
	paramURLTimeOffset = "url_time_offset"
	paramInterval      = "interval"
	paramTimeout       = "timeout"
	paramRetries       = "retries"
	paramVerifyTLS     = "verify_cert"
	paramCAFile        = "ca_file"
	paramClientCert    = "client_certificate"
	paramClientKey     = "client_key"
	paramProxy         = "proxy"
	paramUserAgent     = "user_agent"
	paramUsername      = "username"
	paramPassword      = "password"
	paramHeaders       = "headers"
	paramExtractFiles  = "extract_files"
	paramConditional   = "conditional"
	paramMaxSize       = "max_size"

	paramVerifyPGP           = "verify_pgp_signatures"
	paramSignatureURL        = "signature_url"
	paramSignatureFormatting = "signature_url_formatting"
	paramKeyring             = "gpg_keyring"
)

// Defaults of the parameters.
const (
	defaultUserAgent  = "intelmq-go"
	defaultRetryDelay = time.Second
	defaultInterval   = time.Hour
	defaultTimeout    = 30 * time.Second
	defaultRetries    = int64(2)
)

const (
	timeArgument      = "time" // the name in {time[%Y-%m-%d]}
	extractAllPattern = "*"
	noRawWarning      = "Ignoring report without raw field. Possible bug or misconfiguration of this bot."
	// stateFileName is the file in the bot's state directory that keeps
	// the ETag and Last-Modified of the downloads across restarts.
	stateFileName = "http-validators.json"
)

// Spec returns the declaration of the HTTP collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindCollector,
		Doc: "Downloads a URL, as IntelMQ's http collector does, and sends the document as a Report, or one Report " +
			"per file of a zip, tar or gzip download (with extra.file_name). An unchanged document (HTTP 304 to the " +
			"ETag or Last-Modified of the previous download) produces no report; a status other than 2xx is an error.",
		Params: append([]botapi.Param{
			{Name: paramURL, Type: botapi.TypeString, Required: true,
				Doc: "The URL to download (IntelMQ's http_url)."},
			{Name: paramURLFormatting, Type: botapi.TypeBool, Default: false,
				Doc: "Expand {time[<strftime format>]} in the URL with the current time, e.g. \"https://example.com/{time[%Y-%m-%d]}.csv\" (IntelMQ's http_url_formatting)."},
			{Name: paramURLTimeOffset, Type: botapi.TypeDuration, Default: time.Duration(0), Negative: true,
				Doc: "Added to the current time before url_formatting, e.g. \"-24h\" for yesterday's file."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two downloads (IntelMQ's rate_limit, 3600 seconds for this collector)."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
				Doc: "How long to wait for the connection, the response headers, and each part of the body (IntelMQ's http_timeout_sec)."},
			{Name: paramRetries, Type: botapi.TypeInt, Default: defaultRetries,
				Doc: "How often a download is tried again after a network error, a timeout, HTTP 429 or 5xx, waiting 1s, 2s, 4s... (IntelMQ's http_timeout_max_tries minus one)."},
			{Name: paramVerifyTLS, Type: botapi.TypeBool, Default: true,
				Doc: "Verify the server's TLS certificate (IntelMQ's http_verify_cert)."},
			{Name: paramCAFile, Type: botapi.TypeString, Default: "",
				Doc: "A PEM file of CA certificates trusted in addition to the system's (IntelMQ's ssl_ca_certificate)."},
			{Name: paramClientCert, Type: botapi.TypeString, Default: "",
				Doc: "A PEM client certificate for TLS client authentication; it may also hold the key."},
			{Name: paramClientKey, Type: botapi.TypeString, Default: "",
				Doc: "The PEM key of client_certificate, when it is in a file of its own."},
			{Name: paramProxy, Type: botapi.TypeString, Default: "",
				Doc: "The proxy URL for http and https, e.g. \"http://proxy.example:3128\"; empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY."},
			{Name: paramUserAgent, Type: botapi.TypeString, Default: defaultUserAgent,
				Doc: "The User-Agent header (IntelMQ's http_user_agent)."},
			{Name: paramUsername, Type: botapi.TypeString, Default: "",
				Doc: "The user for HTTP basic authentication (IntelMQ's http_username)."},
			{Name: paramPassword, Type: botapi.TypeString, Default: "",
				Doc: "The password for HTTP basic authentication (IntelMQ's http_password)."},
			{Name: paramHeaders, Type: botapi.TypeStringMap, Default: map[string]string{},
				Doc: "Further request headers, e.g. { Authorization = \"Token abc\" } (IntelMQ's http_header)."},
			{Name: paramExtractFiles, Type: botapi.TypeStringList, Default: []string{},
				Doc: "Which files of a zip or tar download become reports, as names or glob patterns (\"*.csv\"); empty or [\"*\"] takes all. Archives are recognised by their content."},
			{Name: paramConditional, Type: botapi.TypeBool, Default: true,
				Doc: "Send the ETag and Last-Modified of the previous download, so an unchanged document is not sent again."},
			{Name: paramMaxSize, Type: botapi.TypeInt, Default: int64(0),
				Doc: "The largest download, and the largest total extracted from an archive, in bytes; 0 means no limit."},
			{Name: paramVerifyPGP, Type: botapi.TypeBool, Default: false,
				Doc: "Download the detached PGP signature at signature_url and check the document against the keys of gpg_keyring before sending it; a signature that does not verify fails the collection and sends nothing (IntelMQ's verify_pgp_signatures)."},
			{Name: paramSignatureURL, Type: botapi.TypeString, Default: "",
				Doc: "The URL of the detached signature, armored (.asc) or binary (.sig), e.g. \"https://example.com/list.csv.asc\" (IntelMQ's signature_url)."},
			{Name: paramSignatureFormatting, Type: botapi.TypeBool, Default: false,
				Doc: "Expand {time[<strftime format>]} in signature_url as url_formatting does in url (IntelMQ's signature_url_formatting)."},
			{Name: paramKeyring, Type: botapi.TypeString, Default: "",
				Doc: "A file of the trusted public keys: an armored key block (gpg --export --armor) or a binary keyring (gpg --export); relative to the configuration's folder (IntelMQ's gpg_keyring)."},
		}, chunk.Params("download")...),
	}
}

// Register adds the HTTP collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the HTTP collector.
type Collector struct {
	bc         *botapi.Context
	url        string
	template   *pyformat.Template // nil without url_formatting
	timeOffset time.Duration
	patterns   []string
	cfg        fetchConfig
	fetcher    *fetcher

	verifyPGP   bool
	sigURL      string
	sigTemplate *pyformat.Template // nil without signature_url_formatting
	keyringPath string
	keys        openpgp.EntityList // read in Start when verifyPGP

	auto chunk.Auto // the automatic split of large downloads
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the HTTP collector from its parameters; the client is made in
// Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	c := &Collector{
		bc:         bc,
		auto:       chunk.AutoFrom(bc, p),
		url:        p.String(paramURL),
		timeOffset: p.Duration(paramURLTimeOffset),
		cfg: fetchConfig{
			Timeout:     p.Duration(paramTimeout),
			Retries:     int(p.Int(paramRetries)),
			RetryDelay:  defaultRetryDelay,
			VerifyTLS:   p.Bool(paramVerifyTLS),
			CAFile:      p.String(paramCAFile),
			ClientCert:  p.String(paramClientCert),
			ClientKey:   p.String(paramClientKey),
			Proxy:       p.String(paramProxy),
			UserAgent:   p.String(paramUserAgent),
			Username:    p.String(paramUsername),
			Password:    p.String(paramPassword),
			Headers:     p.Map(paramHeaders),
			Conditional: p.Bool(paramConditional),
			MaxSize:     p.Int(paramMaxSize),
		},
	}
	for _, pat := range p.List(paramExtractFiles) {
		if pat == extractAllPattern {
			c.patterns = nil
			break
		}
		c.patterns = append(c.patterns, pat)
	}
	if p.Bool(paramURLFormatting) {
		t, err := pyformat.Parse(c.url)
		if err != nil {
			return nil, &botapi.ParamError{Name: paramURL, Err: err}
		}
		c.template = t
	}
	c.verifyPGP = p.Bool(paramVerifyPGP)
	c.sigURL = p.String(paramSignatureURL)
	c.keyringPath = p.String(paramKeyring)
	if c.verifyPGP && p.Bool(paramSignatureFormatting) {
		t, err := pyformat.Parse(c.sigURL)
		if err != nil {
			return nil, &botapi.ParamError{Name: paramSignatureURL, Err: err}
		}
		c.sigTemplate = t
	}
	return c, nil
}

// Validate checks the URLs, the URL templates, the extract patterns and
// the PGP settings.
func (c *Collector) Validate() error {
	if err := checkTemplate(paramURL, c.url, c.template); err != nil {
		return err
	}
	if err := c.auto.Validate(); err != nil {
		return err
	}
	if c.verifyPGP {
		switch {
		case c.sigURL == "":
			return errors.New("verify_pgp_signatures is true but signature_url is not set")
		case c.keyringPath == "":
			return errors.New("verify_pgp_signatures is true but gpg_keyring is not set")
		}
		if err := checkTemplate(paramSignatureURL, c.sigURL, c.sigTemplate); err != nil {
			return err
		}
	}
	for _, pat := range c.patterns {
		if err := CheckPattern(paramExtractFiles, pat); err != nil {
			return err
		}
	}
	if c.cfg.ClientKey != "" && c.cfg.ClientCert == "" {
		return errors.New("client_key is set but client_certificate is not")
	}
	return ClientConfig{Retries: c.cfg.Retries, MaxSize: c.cfg.MaxSize, Proxy: c.cfg.Proxy}.Check()
}

// checkTemplate checks a URL parameter: its {time[...]} placeholders when
// it is a template, else the URL itself. An error is a *botapi.ParamError.
func checkTemplate(param, url string, t *pyformat.Template) error {
	if t == nil {
		return CheckURL(param, url)
	}
	for _, ref := range t.Refs() {
		if ref.Name != timeArgument || len(ref.Keys) != 1 {
			return botapi.ParamErrorf(param, "the only placeholder is {time[<strftime format>]}, not {%s%s}",
				ref.Name, bracketed(ref.Keys))
		}
	}
	return nil
}

func bracketed(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("[" + k + "]")
	}
	return b.String()
}

// Start builds the HTTP client, reads the PGP keyring and loads the
// validators kept in the state directory; unusable certificate or key
// files stop the bot.
func (c *Collector) Start(context.Context) error {
	if c.verifyPGP {
		keys, err := readKeyring(c.bc.Path(c.keyringPath))
		if err != nil {
			return botapi.Fatal(err)
		}
		c.keys = keys
		c.logger().Info("PGP signature verification is active.")
	}
	f, err := newFetcher(c.cfg, c.bc.Clock, c.logger())
	if err != nil {
		return botapi.Fatal(err)
	}
	if c.cfg.Conditional && c.bc.StateDir != "" {
		f.useState(filepath.Join(c.bc.StateDir, stateFileName))
	}
	c.fetcher = f
	return nil
}

// Close releases the client's idle connections.
func (c *Collector) Close() error {
	if c.fetcher != nil {
		c.fetcher.close()
	}
	return nil
}

// Collect downloads the URL once and emits its reports.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.fetcher == nil {
		return errors.New("the collector was not started")
	}
	url, err := c.currentURL()
	if err != nil {
		return botapi.Permanent(err)
	}
	log := c.logger()
	log.Info(fmt.Sprintf("Downloading report from %s.", pyformat.ReprString(url)))
	resp, err := c.fetcher.fetch(ctx, url)
	if err != nil {
		return err
	}
	if resp.NotModified {
		log.Info("Report not modified since the last download.")
		return nil
	}
	log.Info("Report downloaded.")
	if c.verifyPGP {
		if err := c.checkSignature(ctx, url, resp.Body); err != nil {
			return err
		}
	}
	files, kind, err := extract(resp.Body, c.patterns, c.cfg.MaxSize)
	if err != nil {
		return botapi.Permanent(fmt.Errorf("%s: %w", url, err))
	}
	if kind == kindZip || kind == kindTar {
		c.logExtracted(files)
	}
	for _, f := range files {
		if err := c.emit(ctx, out, url, f); err != nil {
			return err
		}
	}
	c.fetcher.remember(url, resp)
	return nil
}

// currentURL returns the URL to download, with url_formatting applied.
func (c *Collector) currentURL() (string, error) {
	return c.expand(paramURL, c.url, c.template)
}

// expand returns url, or the expansion of its template at the current
// time plus url_time_offset.
func (c *Collector) expand(param, url string, t *pyformat.Template) (string, error) {
	if t == nil {
		return url, nil
	}
	now := c.bc.Clock.Now().Add(c.timeOffset)
	out, err := t.Execute(map[string]any{timeArgument: strftimeMapping{now}})
	if err != nil {
		return "", fmt.Errorf("%s: %w", param, err)
	}
	if err := CheckURL(param, out); err != nil {
		return "", err
	}
	return out, nil
}

// checkSignature downloads the detached signature of the document at url
// and verifies data with it. A signature that does not verify is an error
// wrapping ErrSignature: the collection fails and sends nothing.
func (c *Collector) checkSignature(ctx context.Context, url string, data []byte) error {
	sigURL, err := c.expand(paramSignatureURL, c.sigURL, c.sigTemplate)
	if err != nil {
		return botapi.Permanent(err)
	}
	log := c.logger()
	log.Info(fmt.Sprintf("Downloading PGP signature from %s.", pyformat.ReprString(sigURL)))
	resp, err := c.fetcher.fetch(ctx, sigURL)
	if err != nil {
		return fmt.Errorf("could not download the PGP signature of %s: %w", url, err)
	}
	log.Info("PGP signature downloaded.")
	keyID, err := verifySignature(c.keys, data, resp.Body, c.bc.Clock.Now())
	if err != nil {
		return fmt.Errorf("%s, signature %s: %w; report rejected", url, sigURL, err)
	}
	log.Info(fmt.Sprintf("PGP signature checked with key %s: signature valid.", keyID))
	return nil
}

// strftimeMapping is IntelMQ's Time object: time[fmt] is strftime(fmt).
type strftimeMapping struct{ t time.Time }

// Lookup returns the time formatted with the strftime layout.
func (m strftimeMapping) Lookup(layout string) (any, error) {
	return pyformat.Strftime(m.t, layout), nil
}

func (c *Collector) logExtracted(files []file) {
	if len(files) == 0 {
		c.logger().Warn("No file of the archive matches extract_files.")
		return
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	c.logger().Info(fmt.Sprintf("Extracting files: '%s'.", strings.Join(names, "', '")))
}

// emit sends one document as a Report, or as several when it is large
// text that the feed's parser reads line by line (chunk.Auto).
func (c *Collector) emit(ctx context.Context, out botapi.Emitter, url string, f file) error {
	if len(f.Data) == 0 {
		c.logger().Warn(noRawWarning)
		return nil
	}
	send := func(raw []byte) error {
		// The URL fetched replaces a feed.url of the feed declaration.
		r, err := report.OfFile(c.bc, raw, url, f.Name)
		if err != nil {
			return err
		}
		return out.Emit(ctx, r)
	}
	header, split, rest, err := c.auto.Prepare(bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil {
		return err
	}
	if !split {
		return send(f.Data)
	}
	c.logger().Info(fmt.Sprintf("Splitting the download of %d bytes into reports of %d bytes, each starting with its %d header lines.",
		len(f.Data), c.auto.Size, bytes.Count(header, []byte{'\n'})))
	return chunk.Split(rest, header, c.auto.Size, send)
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
