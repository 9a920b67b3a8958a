// SPDX-License-Identifier: AGPL-3.0-or-later

package azure

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	nethttp "net/http"
	neturl "net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/seenfiles"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// ID is the bot's registry ID.
const ID = "collector.azure"

// Parameter names.
const (
	paramConnectionString = "connection_string"
	paramContainerName    = "container_name"
	paramInterval         = "interval"
	paramCacheTTL         = "cache_ttl"
	paramTimeout          = "timeout"
	paramRetries          = "retries"
	paramProxy            = "proxy"
	paramMaxSize          = "max_size"
)

// Defaults: IntelMQ's rate_limit (3600 s) and redis_cache_ttl (864000 s).
const (
	defaultInterval = time.Hour
	defaultCacheTTL = 240 * time.Hour
	defaultTimeout  = 60 * time.Second
	defaultRetries  = int64(2)
)

const (
	// stateFileName is the file in the bot's state directory that keeps
	// the names of the blobs sent.
	stateFileName = "azure-blobs.json"
	// retryDelay is the first wait before a request is tried again.
	retryDelay = time.Second
)

// Spec returns the declaration of the Azure Storage collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.microsoft.collector_azure",
		Doc: "Sends the blobs of a container of an Azure Storage account, as IntelMQ's Microsoft Azure collector " +
			"does: each blob not sent before becomes a Report (decompressed when gzip-compressed) with feed.url set " +
			"to the blob's URL and extra.file_name to its name. The blobs sent are remembered in the bot's state " +
			"directory for cache_ttl.",
		Params: []botapi.Param{
			{Name: paramConnectionString, Type: botapi.TypeString, Required: true,
				Doc: "The storage account's connection string, holding the endpoint and the credentials (AccountName and AccountKey, or SharedAccessSignature), e.g. \"DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net\" or \"BlobEndpoint=https://....blob.core.windows.net/;SharedAccessSignature=sv=...\"."},
			{Name: paramContainerName, Type: botapi.TypeString, Required: true,
				Doc: "The container whose blobs are sent, e.g. \"ctip-infected-summary\"."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit, 3600 seconds)."},
			{Name: paramCacheTTL, Type: botapi.TypeDuration, Default: defaultCacheTTL,
				Doc: "How long the name of a blob sent is remembered once the blob is no longer listed (IntelMQ's redis_cache_ttl, 10 days); it should outlast the time the storage keeps a blob (three days for CTIP). Kept in the bot's state directory."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
				Doc: "How long to wait for the connection and for the response headers of each request."},
			{Name: paramRetries, Type: botapi.TypeInt, Default: defaultRetries,
				Doc: "How often a request is tried again after a network error, a timeout, HTTP 408, 429 or 5xx, waiting 1s, 2s, 4s..."},
			{Name: paramProxy, Type: botapi.TypeString, Default: "",
				Doc: "The proxy URL for http and https, e.g. \"http://proxy.example:3128\" (IntelMQ's https_proxy); empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY."},
			{Name: paramMaxSize, Type: botapi.TypeInt, Default: int64(0),
				Doc: "The largest blob downloaded and the largest content after decompression, in bytes; 0 means no limit."},
		},
	}
}

// Register adds the collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the Azure Storage collector.
type Collector struct {
	bc        *botapi.Context
	connStr   string
	container string
	cacheTTL  time.Duration
	timeout   time.Duration
	retries   int
	proxy     string
	maxSize   int64

	httpClient *nethttp.Client
	client     *azblob.Client
	seen       *seenfiles.Set
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
	return &Collector{
		bc:        bc,
		connStr:   strings.TrimSpace(p.String(paramConnectionString)),
		container: strings.TrimSpace(p.String(paramContainerName)),
		cacheTTL:  p.Duration(paramCacheTTL),
		timeout:   p.Duration(paramTimeout),
		retries:   int(p.Int(paramRetries)),
		proxy:     p.String(paramProxy),
		maxSize:   p.Int(paramMaxSize),
	}, nil
}

// Validate checks the connection string, the container and the limits.
func (c *Collector) Validate() error {
	switch {
	case c.connStr == "":
		return botapi.ParamErrorf(paramConnectionString, "is empty")
	case c.container == "":
		return botapi.ParamErrorf(paramContainerName, "is empty")
	case strings.Contains(c.container, "/"):
		return botapi.ParamErrorf(paramContainerName, "%q must not contain a slash", c.container)
	case c.cacheTTL <= 0:
		return botapi.ParamErrorf(paramCacheTTL, "must be positive, got %s", c.cacheTTL)
	case c.retries < 0:
		return botapi.ParamErrorf(paramRetries, "must not be negative, got %d", c.retries)
	case c.maxSize < 0:
		return botapi.ParamErrorf(paramMaxSize, "must not be negative, got %d", c.maxSize)
	}
	if _, err := httpcollector.Proxy(c.proxy); err != nil {
		return err
	}
	// Building a client only parses the connection string.
	if _, err := azblob.NewClientFromConnectionString(c.connStr, nil); err != nil {
		return &botapi.ParamError{Name: paramConnectionString, Err: err}
	}
	return nil
}

// Start builds the Blob service client and reads the names of the blobs
// sent.
func (c *Collector) Start(context.Context) error {
	if err := c.Validate(); err != nil {
		return botapi.Fatal(err)
	}
	proxy, _ := httpcollector.Proxy(c.proxy) // checked by Validate
	tlsConfig, err := httpcollector.TLSConfig(true, "")
	if err != nil {
		return botapi.Fatal(err)
	}
	c.httpClient = &nethttp.Client{Transport: &nethttp.Transport{
		Proxy:                 proxy,
		DialContext:           (&net.Dialer{Timeout: c.timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConfig,
		TLSHandshakeTimeout:   c.timeout,
		ResponseHeaderTimeout: c.timeout,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}}
	maxRetries := int32(c.retries)
	if maxRetries == 0 {
		maxRetries = -1 // the SDK reads 0 as its default, 3
	}
	client, err := azblob.NewClientFromConnectionString(c.connStr, &azblob.ClientOptions{ClientOptions: policy.ClientOptions{
		Transport: c.httpClient,
		Retry:     policy.RetryOptions{MaxRetries: maxRetries, RetryDelay: retryDelay, MaxRetryDelay: time.Minute},
		Telemetry: policy.TelemetryOptions{ApplicationID: "intelmq-go"},
	}})
	if err != nil {
		return botapi.Fatal(fmt.Errorf("connection_string: %w", err))
	}
	c.client = client
	path := ""
	if c.bc.StateDir != "" {
		path = filepath.Join(c.bc.StateDir, stateFileName)
	}
	c.seen = seenfiles.Load(path, c.logger())
	return nil
}

// Close releases the client's idle connections.
func (c *Collector) Close() error {
	if c.httpClient != nil {
		c.httpClient.CloseIdleConnections()
	}
	return nil
}

// listedBlob is one blob of the container's listing.
type listedBlob struct {
	name    string
	version string // ETag, else Last-Modified; empty when unknown
	etag    *azcore.ETag
}

// Collect lists the container and sends the blobs not sent yet.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.client == nil {
		return errors.New("the collector was not started")
	}
	log := c.logger()
	log.Info(fmt.Sprintf("Processing container %q.", c.container))
	blobs, err := c.list(ctx)
	if err != nil {
		return err
	}
	now := c.bc.Clock.Now()
	listed := make(map[string]bool, len(blobs))
	for _, b := range blobs {
		listed[b.name] = true
	}
	if n := c.seen.Expire(now, c.cacheTTL, func(name string) bool { return listed[name] }); n > 0 {
		log.Debug(fmt.Sprintf("Forgot %d blobs sent more than %s ago and no longer listed.", n, c.cacheTTL))
	}
	sent, failed := 0, 0
	for _, b := range blobs {
		if c.seen.Sent(b.name, b.version) {
			log.Debug(fmt.Sprintf("Processed blob %q already.", b.name))
			continue
		}
		if e, ok := c.seen.Get(b.name); ok {
			log.Info(fmt.Sprintf("Blob %q changed since it was sent (version %s, was %s); sending it again.", b.name, b.version, e.Version))
		}
		log.Debug(fmt.Sprintf("Processing blob %q.", b.name))
		n, err := c.send(ctx, out, b)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var emitErr *httpcollector.EmitError
			if errors.As(err, &emitErr) {
				return emitErr.Err
			}
			failed++
			log.Error(fmt.Sprintf("Could not collect blob %q of container %q: %v.", b.name, c.container, err))
			continue
		}
		c.seen.Add(b.name, b.version, now)
		sent += n
	}
	log.Info(fmt.Sprintf("Sent %d reports from container %q (%d blobs listed).", sent, c.container, len(blobs)))
	if failed > 0 {
		return fmt.Errorf("%d of %d blobs of container %q could not be collected; they are tried again with the next collection", failed, len(blobs), c.container)
	}
	return nil
}

// list returns the blobs of the container, in the service's order (by
// name).
func (c *Collector) list(ctx context.Context) ([]listedBlob, error) {
	var blobs []listedBlob
	pager := c.client.NewListBlobsFlatPager(c.container, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("listing the blobs of container %q: %w", c.container, describe(err))
		}
		if page.Segment == nil {
			continue
		}
		for _, item := range page.Segment.BlobItems {
			if item == nil || item.Name == nil || *item.Name == "" {
				c.logger().Warn(fmt.Sprintf("Ignoring a blob without a name in the listing of container %q.", c.container))
				continue
			}
			b := listedBlob{name: *item.Name}
			if p := item.Properties; p != nil {
				switch {
				case p.ETag != nil && *p.ETag != "":
					b.etag = p.ETag
					b.version = string(*p.ETag)
				case p.LastModified != nil:
					b.version = p.LastModified.UTC().Format(nethttp.TimeFormat)
				}
			}
			blobs = append(blobs, b)
		}
	}
	return blobs, nil
}

// send downloads one blob and emits its report(s); it returns how many.
func (c *Collector) send(ctx context.Context, out botapi.Emitter, b listedBlob) (int, error) {
	data, err := c.download(ctx, b)
	if err != nil {
		return 0, err
	}
	if len(data) == 0 {
		c.logger().Warn(fmt.Sprintf("Blob %q of container %q is empty; not sending it.", b.name, c.container))
		return 0, nil
	}
	return httpcollector.EmitFile(ctx, c.bc, out, data, c.blobURL(b.name), b.name, c.maxSize)
}

// download reads the blob in the version listed.
func (c *Collector) download(ctx context.Context, b listedBlob) ([]byte, error) {
	var opts *azblob.DownloadStreamOptions
	if b.etag != nil {
		opts = &azblob.DownloadStreamOptions{AccessConditions: &blob.AccessConditions{
			ModifiedAccessConditions: &blob.ModifiedAccessConditions{IfMatch: b.etag},
		}}
	}
	resp, err := c.client.DownloadStream(ctx, c.container, b.name, opts)
	if err != nil {
		return nil, fmt.Errorf("downloading: %w", describe(err))
	}
	body := resp.NewRetryReader(ctx, &azblob.RetryReaderOptions{MaxRetries: int32(c.retries)})
	defer body.Close()
	var r io.Reader = body
	if c.maxSize > 0 {
		r = io.LimitReader(body, c.maxSize+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading: %w", describe(err))
	}
	if c.maxSize > 0 && int64(len(data)) > c.maxSize {
		return nil, fmt.Errorf("the blob exceeds max_size (%d bytes)", c.maxSize)
	}
	return data, nil
}

// blobURL returns the URL of the blob name without the query, which holds
// the shared access signature of a SAS connection string. The slashes of
// a name stay readable (the SDK escapes them as %2F, which the service
// reads alike).
func (c *Collector) blobURL(name string) string {
	raw := c.client.ServiceClient().NewContainerClient(c.container).URL()
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[:i]
	}
	segments := strings.Split(name, "/")
	for i, s := range segments {
		segments[i] = neturl.PathEscape(s)
	}
	return strings.TrimRight(raw, "/") + "/" + strings.Join(segments, "/")
}

// describe shortens the errors of the SDK to what an operator needs, and
// keeps request URLs (whose query may hold a shared access signature) out
// of the log.
func describe(err error) error {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		code := re.ErrorCode
		if code == "" {
			code = "no error code"
		}
		hint := ""
		switch re.StatusCode {
		case nethttp.StatusForbidden, nethttp.StatusUnauthorized:
			hint = ": the credentials of connection_string were refused or have expired"
		case nethttp.StatusNotFound:
			hint = ": no such container or blob"
		}
		return fmt.Errorf("the Blob service answered HTTP %d (%s)%s", re.StatusCode, code, hint)
	}
	var ue *neturl.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s request failed: %w", ue.Op, ue.Err)
	}
	return err
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
