// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	nethttp "net/http"
	neturl "net/url"
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// The parameters of an API collector's HTTP client (APIParams).
const (
	APIParamTimeout   = "timeout"
	APIParamRetries   = "retries"
	APIParamProxy     = "proxy"
	APIParamUserAgent = "user_agent"
	APIParamMaxSize   = "max_size"
)

// APIParams declares the parameters of the HTTP client of a collector that
// calls an API through Client: timeout, retries, proxy, user_agent and
// max_size, with the given defaults. A collector may change the Doc of a
// returned Param to say more. APIClientConfig reads them.
func APIParams(timeout time.Duration, retries int64) []botapi.Param {
	return []botapi.Param{
		{Name: APIParamTimeout, Type: botapi.TypeDuration, Default: timeout,
			Doc: "How long to wait for the connection, the response headers and each part of a body."},
		{Name: APIParamRetries, Type: botapi.TypeInt, Default: retries,
			Doc: "How often a request is tried again after a network error, a timeout, HTTP 429 or 5xx, waiting 1s, 2s, 4s..."},
		{Name: APIParamProxy, Type: botapi.TypeString, Default: "",
			Doc: "The proxy URL for http and https; empty uses HTTP_PROXY, HTTPS_PROXY and NO_PROXY."},
		{Name: APIParamUserAgent, Type: botapi.TypeString, Default: defaultUserAgent,
			Doc: "The User-Agent header."},
		{Name: APIParamMaxSize, Type: botapi.TypeInt, Default: int64(0),
			Doc: "The largest answer or file downloaded, in bytes; 0 means no limit."},
	}
}

// APIClientConfig reads the parameters APIParams declares into a client
// configuration that verifies TLS certificates; the caller adds headers
// and changes what else it needs.
func APIClientConfig(p botapi.Params) ClientConfig {
	return ClientConfig{
		Timeout:   p.Duration(APIParamTimeout),
		Retries:   int(p.Int(APIParamRetries)),
		VerifyTLS: true,
		Proxy:     p.String(APIParamProxy),
		UserAgent: p.String(APIParamUserAgent),
		MaxSize:   p.Int(APIParamMaxSize),
	}
}

// Check reports a negative retries or max_size, and a proxy that is not a
// URL, as a *botapi.ParamError.
func (c ClientConfig) Check() error {
	switch {
	case c.Retries < 0:
		return botapi.ParamErrorf(APIParamRetries, "must not be negative, got %d", c.Retries)
	case c.MaxSize < 0:
		return botapi.ParamErrorf(APIParamMaxSize, "must not be negative, got %d", c.MaxSize)
	}
	_, err := Proxy(c.Proxy)
	return err
}

// CheckURL checks that raw, the value of the parameter param, is an
// absolute http or https URL; an error is a *botapi.ParamError.
func CheckURL(param, raw string) error {
	u, err := neturl.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return botapi.ParamErrorf(param, "%q is not an absolute http or https URL", raw)
	}
	return nil
}

// The TLS parameters of TLSParams.
const (
	TLSParamVerify     = "verify_cert"
	TLSParamCAFile     = "ca_file"
	TLSParamClientCert = "client_certificate"
	TLSParamClientKey  = "client_key"
)

// TLSParams declares the TLS parameters of an HTTP client: verify_cert,
// ca_file, client_certificate and client_key. ReadTLS reads them.
func TLSParams() []botapi.Param {
	return []botapi.Param{
		{Name: TLSParamVerify, Type: botapi.TypeBool, Default: true,
			Doc: "Verify the server's TLS certificate (IntelMQ's http_verify_cert)."},
		{Name: TLSParamCAFile, Type: botapi.TypeString, Default: "",
			Doc: "A PEM file of CA certificates trusted in addition to the system's (IntelMQ's ssl_ca_certificate)."},
		{Name: TLSParamClientCert, Type: botapi.TypeString, Default: "",
			Doc: "A PEM client certificate for TLS client authentication; it may also hold the key."},
		{Name: TLSParamClientKey, Type: botapi.TypeString, Default: "",
			Doc: "The PEM key of client_certificate, when it is in a file of its own."},
	}
}

// ReadTLS reads the parameters TLSParams declares into c; path resolves a
// file name given in the configuration (botapi.Context.Path), nil leaves
// it as it is.
func (c *ClientConfig) ReadTLS(p botapi.Params, path func(string) string) {
	if path == nil {
		path = func(s string) string { return s }
	}
	c.VerifyTLS = p.Bool(TLSParamVerify)
	c.CAFile = path(p.String(TLSParamCAFile))
	c.ClientCert = path(p.String(TLSParamClientCert))
	c.ClientKey = path(p.String(TLSParamClientKey))
}

// Proxy returns the proxy function of an HTTP transport for the proxy
// parameter: the URL given, or HTTP_PROXY, HTTPS_PROXY and NO_PROXY when
// it is empty; an error, a *botapi.ParamError about the parameter proxy,
// says the value is not a proxy URL.
func Proxy(proxy string) (func(*nethttp.Request) (*neturl.URL, error), error) {
	if proxy == "" {
		return nethttp.ProxyFromEnvironment, nil
	}
	u, err := neturl.Parse(proxy)
	if err != nil || u.Host == "" {
		return nil, botapi.ParamErrorf(APIParamProxy, "%q is not a URL such as http://proxy.example:3128", proxy)
	}
	return nethttp.ProxyURL(u), nil
}
