// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	nethttp "net/http"
	"os"
	"path"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// ClientConfig is the HTTP configuration of a Client, with the meaning of
// the collector's parameters of the same names.
type ClientConfig struct {
	Timeout    time.Duration
	Retries    int
	VerifyTLS  bool
	CAFile     string
	ClientCert string
	ClientKey  string
	Proxy      string
	UserAgent  string
	Username   string
	Password   string
	Headers    map[string]string
	MaxSize    int64
}

// Client downloads URLs as the collector does (retries, timeouts, TLS
// settings, size limit), without conditional requests. It is for other
// collectors that download URLs they find elsewhere, such as the mail
// collector's url mode (IntelMQ's HttpMixin).
type Client struct{ f *fetcher }

// Download is a successful download.
type Download struct {
	// Body is the document.
	Body []byte
	// FileName is the name of the Content-Disposition header, else the
	// last segment of the URL's path (IntelMQ's file_name_from_response).
	FileName string
}

// NewClient builds a Client; it reads the CA and client certificate files
// and fails if they are unusable. The clock paces the retries.
func NewClient(cfg ClientConfig, clock botapi.Clock, log *slog.Logger) (*Client, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f, err := newFetcher(fetchConfig{
		Timeout: cfg.Timeout, Retries: cfg.Retries, RetryDelay: defaultRetryDelay, VerifyTLS: cfg.VerifyTLS,
		CAFile: cfg.CAFile, ClientCert: cfg.ClientCert, ClientKey: cfg.ClientKey, Proxy: cfg.Proxy,
		UserAgent: cfg.UserAgent, Username: cfg.Username, Password: cfg.Password, Headers: cfg.Headers,
		MaxSize: cfg.MaxSize,
	}, clock, log)
	if err != nil {
		return nil, err
	}
	return &Client{f: f}, nil
}

// Get downloads url. A status other than 2xx after the retries is a
// *StatusError.
func (c *Client) Get(ctx context.Context, url string) (*Download, error) {
	resp, err := c.f.fetch(ctx, url)
	if err != nil {
		return nil, err
	}
	return &Download{Body: resp.Body, FileName: resp.FileName}, nil
}

// Close releases the client's idle connections.
func (c *Client) Close() { c.f.close() }

// File is a document extracted by Extract: its name inside the archive
// (empty for a plain document or a compressed single file) and content.
type File struct {
	Name string
	Data []byte
}

// Extract unpacks data as the collector does: a zip or tar archive (also
// gzip- or bzip2-compressed) gives one File per member whose name matches
// one of patterns (path.Match globs; none matches all), a compressed
// single file its content, anything else data itself. maxSize bounds the
// total extracted (0: no limit). Errors wrap ErrArchive, or say that the
// content exceeds max_size.
func Extract(data []byte, patterns []string, maxSize int64) ([]File, error) {
	files, _, err := extract(data, patterns, maxSize)
	if err != nil {
		return nil, err
	}
	out := make([]File, len(files))
	for i, f := range files {
		out[i] = File(f)
	}
	return out, nil
}

// CheckPattern reports a malformed glob pattern of the list parameter
// param (extract_files) as a *botapi.ParamError.
func CheckPattern(param, pattern string) error {
	if _, err := path.Match(pattern, ""); err != nil {
		return botapi.ParamErrorf(param, "bad pattern %q: %w", pattern, err)
	}
	return nil
}

// TLSConfig returns the TLS settings of a client: verify says whether
// server certificates are checked, and the certificates of the PEM file
// caFile, when given, are trusted besides the system's. It fails when the
// file cannot be read or holds no certificate.
func TLSConfig(verify bool, caFile string) (*tls.Config, error) {
	cfg := &tls.Config{InsecureSkipVerify: !verify} //nolint:gosec // an explicit operator choice
	if caFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("reading ca_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %q holds no PEM certificate", caFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// NewTransport returns the HTTP transport of cfg, as the collectors'
// clients use it: its TLS settings (verify_cert, ca_file, the client
// certificate), proxy (empty: the environment's) and timeouts for the
// connection, the TLS handshake and the response headers. It reads the
// certificate files and fails if they are unusable. For a collector that
// needs requests Client does not make (POSTs, headers per request).
func NewTransport(cfg ClientConfig) (*nethttp.Transport, error) {
	tlsConfig, err := TLSConfig(cfg.VerifyTLS, cfg.CAFile)
	if err != nil {
		return nil, err
	}
	if cfg.ClientCert != "" {
		key := cfg.ClientKey
		if key == "" {
			key = cfg.ClientCert
		}
		cert, err := tls.LoadX509KeyPair(cfg.ClientCert, key)
		if err != nil {
			return nil, fmt.Errorf("loading client_certificate: %w", err)
		}
		tlsConfig.Certificates = []tls.Certificate{cert}
	}
	proxy, err := Proxy(cfg.Proxy)
	if err != nil {
		return nil, err
	}
	return &nethttp.Transport{
		Proxy:                 proxy,
		DialContext:           (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConfig,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: cfg.Timeout,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}, nil
}

// EmitError is a failure to build or emit a report in EmitFile: it ends
// the collection, unlike a file that cannot be read.
type EmitError struct{ Err error }

func (e *EmitError) Error() string { return e.Err.Error() }
func (e *EmitError) Unwrap() error { return e.Err }

// EmitFile sends a fetched file as reports (report.OfFile, with feed.url
// url): gzip-compressed content, recognised by its first bytes, is
// decompressed (a gzipped tar gives one report per member, named after
// it; other files are named name), empty members are skipped. It returns
// the number of reports sent; a decompression failure is returned as it
// is, a failed report or Emit as an *EmitError.
func EmitFile(ctx context.Context, bc *botapi.Context, out botapi.Emitter, data []byte, url, name string, maxSize int64) (int, error) {
	files := []File{{Data: data}}
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		var err error
		if files, err = Extract(data, nil, maxSize); err != nil {
			return 0, fmt.Errorf("decompressing: %w", err)
		}
	}
	n := 0
	for _, f := range files {
		if len(f.Data) == 0 {
			continue
		}
		r, err := report.OfFile(bc, f.Data, url, cmp.Or(f.Name, name))
		if err != nil {
			return n, &EmitError{err}
		}
		if err := out.Emit(ctx, r); err != nil {
			return n, &EmitError{err}
		}
		n++
	}
	return n, nil
}
