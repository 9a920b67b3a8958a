// SPDX-License-Identifier: AGPL-3.0-or-later

package interflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	neturl "net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/seenfiles"
	"github.com/intelmq-go/intelmq/bots/internal/since"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/datetime"
)

// ID is the bot's registry ID.
const ID = "collector.interflow"

// Parameter names.
const (
	paramAPIKey       = "api_key"
	paramFileMatch    = "file_match"
	paramNotOlderThan = "not_older_than"
	paramAPIURL       = "api_url"
	paramInterval     = "interval"
	paramCacheTTL     = "cache_ttl"
)

// IntelMQ's defaults: not_older_than, rate_limit (3600 s),
// redis_cache_ttl (604800 s) and http_timeout_sec (300 s).
const (
	defaultAPIURL       = "https://interflow.azure-api.net/file/api/file/"
	defaultNotOlderThan = "2 days"
	defaultInterval     = time.Hour
	defaultCacheTTL     = 7 * 24 * time.Hour
	defaultTimeout      = 300 * time.Second
	defaultRetries      = int64(2)
)

const (
	// keyHeader is the header carrying the API key.
	keyHeader = "Ocp-Apim-Subscription-Key"
	// stateFileName is the file in the bot's state directory that keeps
	// the names of the files sent.
	stateFileName = "interflow-files.json"
)

// Spec returns the declaration of the Interflow collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.microsoft.collector_interflow",
		Doc: "Sends the files shared with you through Microsoft's Interflow API, as IntelMQ's Microsoft Interflow " +
			"collector does: it lists the files, keeps those whose name matches file_match and that are not older than " +
			"not_older_than, and sends each one not sent before as a Report (decompressed when gzip-compressed) with " +
			"feed.url set to its download URL and extra.file_name to its name. The files sent are remembered in the " +
			"bot's state directory.",
		Params: slices.Concat([]botapi.Param{
			{Name: paramAPIKey, Type: botapi.TypeString, Required: true,
				Doc: "Your Interflow API key, sent in the Ocp-Apim-Subscription-Key header."},
			{Name: paramFileMatch, Type: botapi.TypeString, Default: "",
				Doc: "A regular expression the file names must match from their start (Python's re.match), e.g. \"^ctip_\"; empty takes every file."},
			{Name: paramNotOlderThan, Type: botapi.TypeString, Default: defaultNotOlderThan,
				Doc: "Files last modified before this are ignored: a relative time as IntelMQ writes it (\"2 days\", \"12 hours\"), a Go duration (\"48h\") or an absolute date (\"2024-01-31\", \"2024-01-31T12:00:00+00:00\"); empty takes files of any age."},
			{Name: paramAPIURL, Type: botapi.TypeString, Default: defaultAPIURL,
				Doc: "The root of the file API; the list is read from <api_url>listsharedfiles and a file from <api_url>download?fileName=<name>."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit, 3600 seconds)."},
			{Name: paramCacheTTL, Type: botapi.TypeDuration, Default: defaultCacheTTL,
				Doc: "How long the name of a file sent is remembered once the file is no longer listed (IntelMQ's redis_cache_ttl, 7 days). Kept in the bot's state directory."},
		}, httpcollector.APIParams(defaultTimeout, defaultRetries), httpcollector.TLSParams()),
	}
}

// Register adds the collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the Interflow collector.
type Collector struct {
	bc           *botapi.Context
	apiKey       string
	fileMatchSrc string
	notOlderThan string
	apiURL       string
	cacheTTL     time.Duration
	cfg          httpcollector.ClientConfig

	fileMatch *regexp.Regexp // nil: every file
	since     since.Func     // nil: files of any age
	client    *httpcollector.Client
	seen      *seenfiles.Set
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
	apiKey := strings.TrimSpace(p.String(paramAPIKey))
	cfg := httpcollector.APIClientConfig(p)
	cfg.ReadTLS(p, bc.Path)
	cfg.Headers = map[string]string{keyHeader: apiKey}
	return &Collector{
		bc:           bc,
		apiKey:       apiKey,
		fileMatchSrc: p.String(paramFileMatch),
		notOlderThan: strings.TrimSpace(p.String(paramNotOlderThan)),
		apiURL:       strings.TrimRight(strings.TrimSpace(p.String(paramAPIURL)), "/") + "/",
		cacheTTL:     p.Duration(paramCacheTTL),
		cfg:          cfg,
	}, nil
}

// Validate checks the key, the filters, the URL and the limits.
func (c *Collector) Validate() error {
	switch {
	case c.apiKey == "":
		return botapi.ParamErrorf(paramAPIKey, "is empty")
	case c.cacheTTL <= 0:
		return botapi.ParamErrorf(paramCacheTTL, "must be positive, got %s", c.cacheTTL)
	}
	if err := c.cfg.Check(); err != nil {
		return err
	}
	u, err := neturl.Parse(c.apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return botapi.ParamErrorf(paramAPIURL, "%q is not an absolute http or https URL without a query", c.apiURL)
	}
	c.fileMatch = nil
	if c.fileMatchSrc != "" {
		// Python's re.match anchors the expression at the start only.
		re, err := regexp.Compile(`^(?:` + c.fileMatchSrc + `)`)
		if err != nil {
			return &botapi.ParamError{Name: paramFileMatch, Err: err}
		}
		c.fileMatch = re
	}
	since, err := since.Parse(c.notOlderThan)
	if err != nil {
		return &botapi.ParamError{Name: paramNotOlderThan, Err: err}
	}
	c.since = since
	return nil
}

// Start builds the HTTP client and reads the names of the files sent.
func (c *Collector) Start(context.Context) error {
	if err := c.Validate(); err != nil {
		return botapi.Fatal(err)
	}
	client, err := httpcollector.NewClient(c.cfg, c.bc.Clock, c.logger())
	if err != nil {
		return botapi.Fatal(err)
	}
	c.client = client
	path := ""
	if c.bc.StateDir != "" {
		path = filepath.Join(c.bc.StateDir, stateFileName)
	}
	c.seen = seenfiles.Load(path, c.logger())
	if c.since != nil {
		c.logger().Info(fmt.Sprintf("Filtering files last modified before %s (not_older_than %q).",
			datetime.Format(c.since(c.bc.Clock.Now())), c.notOlderThan))
	}
	return nil
}

// Close releases the client's idle connections.
func (c *Collector) Close() error {
	if c.client != nil {
		c.client.Close()
	}
	return nil
}

// sharedFile is one entry of the file list.
type sharedFile struct {
	Name         string `json:"Name"`
	LastModified string `json:"LastModified"`
}

// Collect lists the shared files and sends the new ones.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	log := c.logger()
	files, err := c.list(ctx)
	if err != nil {
		return err
	}
	now := c.bc.Clock.Now()
	listed := make(map[string]bool, len(files))
	for _, f := range files {
		listed[f.Name] = true
	}
	if n := c.seen.Expire(now, c.cacheTTL, func(name string) bool { return listed[name] }); n > 0 {
		log.Debug(fmt.Sprintf("Forgot %d files sent more than %s ago and no longer listed.", n, c.cacheTTL))
	}
	var since time.Time
	if c.since != nil {
		since = c.since(now)
	}
	sent, failed, wanted := 0, 0, 0
	for _, f := range files {
		if c.seen.Sent(f.Name, f.LastModified) {
			log.Debug(fmt.Sprintf("Processed file %q already.", f.Name))
			continue
		}
		if c.fileMatch != nil && !c.fileMatch.MatchString(f.Name) {
			log.Debug(fmt.Sprintf("File %q does not match the file name filter.", f.Name))
			continue
		}
		if c.since != nil {
			modified, err := datetime.Parse(f.LastModified)
			switch {
			case err != nil:
				log.Warn(fmt.Sprintf("File %q has no readable LastModified (%q); sending it whatever its age.", f.Name, f.LastModified))
			case modified.Before(since):
				log.Debug(fmt.Sprintf("File %q (last modified %s) is older than not_older_than.", f.Name, datetime.Format(modified)))
				continue
			}
		}
		wanted++
		if e, ok := c.seen.Get(f.Name); ok {
			log.Info(fmt.Sprintf("File %q changed since it was sent (LastModified %s, was %s); sending it again.", f.Name, f.LastModified, e.Version))
		}
		log.Debug(fmt.Sprintf("Processing file %q.", f.Name))
		n, err := c.send(ctx, out, f)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var emitErr *httpcollector.EmitError
			if errors.As(err, &emitErr) {
				return emitErr.Err
			}
			failed++
			log.Error(fmt.Sprintf("Could not collect file %q: %v.", f.Name, err))
			continue
		}
		c.seen.Add(f.Name, f.LastModified, now)
		sent += n
	}
	log.Info(fmt.Sprintf("Sent %d reports of %d new files (%d files listed).", sent, wanted, len(files)))
	if failed > 0 {
		return fmt.Errorf("%d of %d new files could not be collected; they are tried again with the next collection", failed, wanted)
	}
	return nil
}

// list downloads the list of shared files.
func (c *Collector) list(ctx context.Context) ([]sharedFile, error) {
	url := c.apiURL + "listsharedfiles"
	c.logger().Debug("Downloading file list.")
	dl, err := c.client.Get(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("downloading the file list: %w", describe(err))
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(dl.Body, &raw); err != nil {
		return nil, fmt.Errorf("the file list from %s is not a JSON list: %w (it begins %.120q)", url, err, dl.Body)
	}
	files := make([]sharedFile, 0, len(raw))
	for _, r := range raw {
		var f sharedFile
		if err := json.Unmarshal(r, &f); err != nil || f.Name == "" {
			c.logger().Warn(fmt.Sprintf("Ignoring an entry of the file list without a file name: %.200s.", r))
			continue
		}
		files = append(files, f)
	}
	c.logger().Debug(fmt.Sprintf("Downloaded file list, %d entries.", len(files)))
	return files, nil
}

// downloadURL returns the URL a file is downloaded from.
func (c *Collector) downloadURL(name string) string {
	return c.apiURL + "download?fileName=" + neturl.QueryEscape(name)
}

// send downloads one file and emits its report(s); it returns how many.
func (c *Collector) send(ctx context.Context, out botapi.Emitter, f sharedFile) (int, error) {
	url := c.downloadURL(f.Name)
	dl, err := c.client.Get(ctx, url)
	if err != nil {
		return 0, fmt.Errorf("downloading: %w", describe(err))
	}
	if len(dl.Body) == 0 {
		c.logger().Warn(fmt.Sprintf("File %q is empty; not sending it.", f.Name))
		return 0, nil
	}
	return httpcollector.EmitFile(ctx, c.bc, out, dl.Body, url, f.Name, c.cfg.MaxSize)
}

// describe adds a hint to an answer refusing the API key.
func describe(err error) error {
	var se *httpcollector.StatusError
	if errors.As(err, &se) && (se.Status == 401 || se.Status == 403) {
		return fmt.Errorf("%w: the Interflow API refused the api_key", err)
	}
	return err
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
