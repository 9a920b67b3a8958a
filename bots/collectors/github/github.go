// SPDX-License-Identifier: AGPL-3.0-or-later

package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/bots/internal/statefile"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "collector.github_contents_api"

// Parameter names.
const (
	paramRepository  = "repository"
	paramRegex       = "regex"
	paramExtraFields = "extra_fields"
	paramToken       = "personal_access_token"
	paramAPIURL      = "api_url"
	paramOnlyChanged = "only_changed"
	paramInterval    = "interval"
)

const (
	defaultAPIURL   = "https://api.github.com"
	defaultRegex    = `\.json$`
	defaultInterval = 24 * time.Hour
	defaultTimeout  = 30 * time.Second
	defaultRetries  = int64(2)
	acceptHeader    = "application/vnd.github.v3.text-match+json"
	stateFileName   = "github-contents.json"
	keyFeedURL      = "feed.url"
	keyMetadata     = "extra.file_metadata"
	// maxFolders bounds the folders walked in one collection.
	maxFolders = 10000
)

var repositoryPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// Spec returns the declaration of the GitHub contents collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.github_api.collector_github_contents_api",
		Doc: "Sends the files of a GitHub repository whose names match regex, as IntelMQ's github contents collector " +
			"does, walking the repository through the GitHub contents API; each file is a Report with feed.url set to " +
			"its download URL. With only_changed, a file is sent again only when its content changed.",
		Params: append([]botapi.Param{
			{Name: paramRepository, Type: botapi.TypeString, Required: true,
				Doc: "The repository, as \"<owner>/<repo>\", e.g. \"StrangerealIntel/DailyIOC\"."},
			{Name: paramRegex, Type: botapi.TypeString, Default: defaultRegex,
				Doc: "A regular expression searched in each file name (not its folder); matching files are sent."},
			{Name: paramExtraFields, Type: botapi.TypeStringList, Default: []string{},
				Doc: "Fields of the contents API's answer about each file (e.g. [\"sha\", \"path\", \"size\"]) sent in extra.file_metadata."},
			{Name: paramToken, Type: botapi.TypeString, Default: "",
				Doc: "A GitHub personal access token; without one the API allows 60 requests an hour. It is sent as \"token <value>\" in the Authorization header unless it already holds a scheme (\"Bearer ...\")."},
			{Name: paramAPIURL, Type: botapi.TypeString, Default: defaultAPIURL,
				Doc: "The root of the GitHub API, e.g. the API of a GitHub Enterprise server."},
			{Name: paramOnlyChanged, Type: botapi.TypeBool, Default: true,
				Doc: "Send a file only when it is new or changed since it was last sent (by its git SHA, kept in the state directory); IntelMQ sends every file each time."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit)."},
		}, httpcollector.APIParams(defaultTimeout, defaultRetries)...),
	}
}

// Register adds the collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the GitHub contents collector.
type Collector struct {
	bc          *botapi.Context
	repository  string
	regexSrc    string
	regex       *regexp.Regexp
	extraFields []string
	apiURL      string
	onlyChanged bool
	cfg         httpcollector.ClientConfig

	client *httpcollector.Client
	shas   map[string]string // download URL -> SHA sent
	path   string            // state file; empty: memory only
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the collector; the client is made in Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	headers := map[string]string{"Accept": acceptHeader}
	if tok := strings.TrimSpace(p.String(paramToken)); tok != "" {
		if !strings.Contains(tok, " ") {
			tok = "token " + tok
		}
		headers["Authorization"] = tok
	}
	c := &Collector{
		bc:          bc,
		repository:  strings.Trim(p.String(paramRepository), "/"),
		regexSrc:    p.String(paramRegex),
		apiURL:      strings.TrimRight(p.String(paramAPIURL), "/"),
		onlyChanged: p.Bool(paramOnlyChanged),
		cfg:         httpcollector.APIClientConfig(p),
	}
	c.cfg.Headers = headers
	for _, f := range p.List(paramExtraFields) {
		if f = strings.TrimSpace(f); f != "" {
			c.extraFields = append(c.extraFields, f)
		}
	}
	return c, nil
}

// Validate checks the repository, the regex and the API URL.
func (c *Collector) Validate() error {
	if !repositoryPattern.MatchString(c.repository) {
		return botapi.ParamErrorf(paramRepository, "%q is not of the form <owner>/<repo>", c.repository)
	}
	re, err := regexp.Compile(c.regexSrc)
	if err != nil {
		return &botapi.ParamError{Name: paramRegex, Err: err}
	}
	c.regex = re
	if err := httpcollector.CheckURL(paramAPIURL, c.apiURL); err != nil {
		return err
	}
	return c.cfg.Check()
}

// Start builds the client and reads the SHAs of the files sent.
func (c *Collector) Start(context.Context) error {
	if c.regex == nil {
		if err := c.Validate(); err != nil {
			return botapi.Fatal(err)
		}
	}
	if _, ok := c.cfg.Headers["Authorization"]; !ok {
		c.logger().Warn("Using unauthenticated API access, means the request limit is at 60 per hour.")
	}
	client, err := httpcollector.NewClient(c.cfg, c.bc.Clock, c.logger())
	if err != nil {
		return botapi.Fatal(err)
	}
	c.client = client
	c.shas = map[string]string{}
	if c.onlyChanged && c.bc.StateDir != "" {
		c.path = filepath.Join(c.bc.StateDir, stateFileName)
		if raw, err := os.ReadFile(c.path); err == nil {
			if err := json.Unmarshal(raw, &c.shas); err != nil || c.shas == nil {
				c.logger().Warn(fmt.Sprintf("Ignoring the state file %s: %v; its files will be sent again.", c.path, err))
				c.shas = map[string]string{}
			}
		}
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

// item is one entry of a contents API answer.
type item struct {
	Type        string `json:"type"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	DownloadURL string `json:"download_url"`
	SHA         string `json:"sha"`
	fields      map[string]json.RawMessage
}

// Collect walks the repository and sends the matching files.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	root := c.apiURL + "/repos/" + c.repository + "/contents"
	queue := []string{root}
	visited := map[string]bool{root: true}
	sent, matched := 0, 0
	for len(queue) > 0 {
		url := queue[0]
		queue = queue[1:]
		items, err := c.list(ctx, url)
		if err != nil {
			return err
		}
		for _, it := range items {
			switch it.Type {
			case "dir":
				if it.URL == "" || visited[it.URL] {
					continue
				}
				if len(visited) >= maxFolders {
					return fmt.Errorf("the repository %s has more than %d folders", c.repository, maxFolders)
				}
				visited[it.URL] = true
				queue = append(queue, it.URL)
			case "file":
				if !c.regex.MatchString(it.Name) || it.DownloadURL == "" {
					continue
				}
				matched++
				if c.onlyChanged && it.SHA != "" && c.shas[it.DownloadURL] == it.SHA {
					c.logger().Debug(fmt.Sprintf("File %s is unchanged since it was sent.", it.DownloadURL))
					continue
				}
				if err := c.send(ctx, out, it); err != nil {
					return err
				}
				sent++
			}
		}
	}
	c.logger().Info(fmt.Sprintf("Sent %d of %d matching files of %s.", sent, matched, c.repository))
	return nil
}

// list reads one folder of the contents API.
func (c *Collector) list(ctx context.Context, url string) ([]item, error) {
	dl, err := c.client.Get(ctx, url)
	if err != nil {
		var se *httpcollector.StatusError
		if errors.As(err, &se) && (se.Status == 401 || se.Status == 403 || se.Status == 404) {
			return nil, fmt.Errorf("the GitHub API refused %s (HTTP %d): unknown repository or bad credentials", url, se.Status)
		}
		return nil, err
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(dl.Body, &raw); err != nil {
		var msg struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(dl.Body, &msg) == nil && msg.Message != "" {
			return nil, fmt.Errorf("the GitHub API answered %s: %s", url, msg.Message)
		}
		return nil, fmt.Errorf("the answer of %s is not a folder listing: %w", url, err)
	}
	items := make([]item, 0, len(raw))
	for _, fields := range raw {
		it := item{fields: fields}
		for key, dst := range map[string]*string{"type": &it.Type, "name": &it.Name, "url": &it.URL,
			"download_url": &it.DownloadURL, "sha": &it.SHA} {
			_ = json.Unmarshal(fields[key], dst) // a missing or null field stays empty
		}
		items = append(items, it)
	}
	return items, nil
}

// send downloads one file and emits it; its SHA is remembered after.
func (c *Collector) send(ctx context.Context, out botapi.Emitter, it item) error {
	dl, err := c.client.Get(ctx, it.DownloadURL)
	if err != nil {
		return fmt.Errorf("downloading %s: %w", it.DownloadURL, err)
	}
	if len(dl.Body) == 0 {
		c.logger().Warn(fmt.Sprintf("File %s is empty; not sending it.", it.DownloadURL))
		return nil
	}
	r, err := report.New(c.bc)
	if err != nil {
		return err
	}
	if err := message.SetRawText(r, dl.Body); err != nil {
		return err
	}
	if err := r.Set(keyFeedURL, harmonization.String(it.DownloadURL)); err != nil {
		return botapi.Permanent(fmt.Errorf("feed.url: %w", err))
	}
	if meta := c.metadata(it); meta != "" {
		if err := r.Add(keyMetadata, harmonization.RawJSON(meta)); err != nil {
			return botapi.Permanent(fmt.Errorf("extra.file_metadata: %w", err))
		}
	}
	if err := out.Emit(ctx, r); err != nil {
		return err
	}
	if c.onlyChanged && it.SHA != "" {
		c.shas[it.DownloadURL] = it.SHA
		c.save()
	}
	return nil
}

// metadata returns the JSON object of the extra_fields of it; "" when
// there are none.
func (c *Collector) metadata(it item) string {
	meta := map[string]json.RawMessage{}
	for _, f := range c.extraFields {
		v, ok := it.fields[f]
		if !ok {
			c.logger().Warn(fmt.Sprintf("Field %q does not exist in the GitHub file data.", f))
			continue
		}
		meta[f] = v
	}
	if len(meta) == 0 {
		return ""
	}
	b, err := json.Marshal(meta)
	if err != nil {
		return ""
	}
	return string(b)
}

// save writes the SHAs to the state file; a failure is logged, as the
// file was sent already.
func (c *Collector) save() {
	if c.path == "" {
		return
	}
	if err := statefile.WriteJSON(c.path, c.shas); err != nil {
		c.logger().Warn(fmt.Sprintf("Could not save the state file %s: %v; files may be sent again after a restart.", c.path, err))
	}
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
