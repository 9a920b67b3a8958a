// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	nethttp "net/http"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "collector.api"

// Parameter names.
const (
	paramHost        = "host"
	paramPort        = "port"
	paramPath        = "path"
	paramUseSocket   = "use_socket"
	paramSocketPath  = "socket_path"
	paramSocketPerms = "socket_perms"
	paramSocketGroup = "socket_group"
	paramToken       = "token"
	paramMaxSize     = "max_size"
	paramMaxDuration = "max_duration"
	paramMaxReports  = "max_reports"
)

// IntelMQ's defaults, and ours for what IntelMQ lacks.
const (
	defaultPort        = int64(5000)
	defaultPath        = "/intelmq/push"
	defaultSocketPath  = "/tmp/imq_api_default_socket"
	defaultSocketPerms = "600"
	defaultMaxSize     = int64(100 << 20) // tornado's max_body_size
	shutdownTimeout    = 5 * time.Second
	readHeaderTimeout  = 30 * time.Second
)

// Spec returns the declaration of the API collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: "intelmq.bots.collectors.api.collector_api",
		Doc: "Listens for HTTP POST requests, as IntelMQ's API collector does, and sends each body as a Report; the request " +
			"is answered 200 once the report is stored. A collection lasts until the bot stops, or until max_duration " +
			"or max_reports is reached.",
		Params: []botapi.Param{
			{Name: paramHost, Type: botapi.TypeString, Default: "",
				Doc: "The address to listen on, e.g. \"127.0.0.1\"; empty listens on every interface, as IntelMQ does."},
			{Name: paramPort, Type: botapi.TypeInt, Default: defaultPort,
				Doc: "The TCP port to listen on (IntelMQ's port)."},
			{Name: paramPath, Type: botapi.TypeString, Default: defaultPath,
				Doc: "The path that accepts the POST requests; others are answered 404."},
			{Name: paramUseSocket, Type: botapi.TypeBool, Default: false,
				Doc: "Listen on the unix socket socket_path instead of the TCP port (IntelMQ's use_socket)."},
			{Name: paramSocketPath, Type: botapi.TypeString, Default: defaultSocketPath,
				Doc: "The unix socket to listen on with use_socket; relative to the configuration's folder."},
			{Name: paramSocketPerms, Type: botapi.TypeString, Default: defaultSocketPerms,
				Doc: "The permissions of the socket, in octal (IntelMQ's socket_perms)."},
			{Name: paramSocketGroup, Type: botapi.TypeString, Default: "",
				Doc: "The group the socket is given to, so a web server of that group can write to it (IntelMQ's socket_group); empty keeps the bot's group."},
			{Name: paramToken, Type: botapi.TypeString, Default: "",
				Doc: "When set, a request must carry it in the Authorization header, as \"<token>\" or \"Bearer <token>\"; others are answered 401."},
			{Name: paramMaxSize, Type: botapi.TypeInt, Default: defaultMaxSize,
				Doc: "The largest body accepted, in bytes; a larger one is answered 413."},
			{Name: paramMaxDuration, Type: botapi.TypeDuration, Default: time.Duration(0),
				Doc: "End a collection after this long; 0 listens until the bot stops. With \"intelmq run --once\" it bounds the run."},
			{Name: paramMaxReports, Type: botapi.TypeInt, Default: int64(0),
				Doc: "End a collection after this many reports; 0 means no limit."},
		},
	}
}

// Register adds the API collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the API collector.
type Collector struct {
	bc          *botapi.Context
	host        string
	port        int64
	path        string
	useSocket   bool
	socketPath  string
	socketPerms string
	socketGroup string
	token       string
	maxSize     int64
	maxDuration time.Duration
	maxReports  int64

	listener net.Listener
	server   *nethttp.Server
	served   chan struct{} // closed when Serve returns
	requests chan *request
	closing  chan struct{}
	closeMu  sync.Once
	waiting  atomic.Int64 // handlers waiting to hand over a request
}

// request is one accepted body waiting for the collection.
type request struct {
	body []byte
	done chan error
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the API collector; it listens from Start on.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return &Collector{
		bc:          bc,
		host:        p.String(paramHost),
		port:        p.Int(paramPort),
		path:        p.String(paramPath),
		useSocket:   p.Bool(paramUseSocket),
		socketPath:  bc.Path(p.String(paramSocketPath)),
		socketPerms: p.String(paramSocketPerms),
		socketGroup: p.String(paramSocketGroup),
		token:       p.String(paramToken),
		maxSize:     p.Int(paramMaxSize),
		maxDuration: p.Duration(paramMaxDuration),
		maxReports:  p.Int(paramMaxReports),
		requests:    make(chan *request),
		closing:     make(chan struct{}),
	}, nil
}

// Validate checks the listener's settings and the limits.
func (c *Collector) Validate() error {
	switch {
	case !strings.HasPrefix(c.path, "/"):
		return botapi.ParamErrorf(paramPath, "%q must start with a slash", c.path)
	case c.maxSize <= 0:
		return botapi.ParamErrorf(paramMaxSize, "must be positive, got %d", c.maxSize)
	case c.maxReports < 0:
		return botapi.ParamErrorf(paramMaxReports, "must not be negative, got %d", c.maxReports)
	}
	if c.useSocket {
		if c.socketPath == "" {
			return errors.New("use_socket is true but socket_path is empty")
		}
		if _, err := c.perms(); err != nil {
			return err
		}
		return nil
	}
	if c.port < 0 || c.port > 65535 {
		return botapi.ParamErrorf(paramPort, "%d is not a TCP port", c.port)
	}
	return nil
}

func (c *Collector) perms() (os.FileMode, error) {
	v, err := strconv.ParseUint(c.socketPerms, 8, 32)
	if err != nil || v > 0o777 {
		return 0, botapi.ParamErrorf(paramSocketPerms, "%q is not an octal permission such as \"660\"", c.socketPerms)
	}
	return os.FileMode(v), nil
}

// Start opens the listener and serves requests; a port or socket that
// cannot be opened stops the bot.
func (c *Collector) Start(context.Context) error {
	ln, err := c.listen()
	if err != nil {
		return botapi.Fatal(err)
	}
	c.listener = ln
	c.server = &nethttp.Server{Handler: c, ReadHeaderTimeout: readHeaderTimeout,
		ErrorLog: slog.NewLogLogger(c.logger().Handler(), slog.LevelWarn)}
	c.served = make(chan struct{})
	go func() {
		defer close(c.served)
		_ = c.server.Serve(ln) // returns ErrServerClosed after Shutdown
	}()
	c.logger().Info(fmt.Sprintf("Listening on %s for POST requests to %s.", c.Addr(), c.path))
	return nil
}

// listen opens the TCP port or the unix socket.
func (c *Collector) listen() (net.Listener, error) {
	if !c.useSocket {
		addr := net.JoinHostPort(c.host, strconv.FormatInt(c.port, 10))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("listening on %s: %w", addr, err)
		}
		return ln, nil
	}
	if fi, err := os.Lstat(c.socketPath); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("socket_path %s exists and is not a socket", c.socketPath)
		}
		if err := os.Remove(c.socketPath); err != nil {
			return nil, fmt.Errorf("removing the old socket %s: %w", c.socketPath, err)
		}
	}
	ln, err := net.Listen("unix", c.socketPath)
	if err != nil {
		return nil, fmt.Errorf("listening on the socket %s: %w", c.socketPath, err)
	}
	mode, _ := c.perms() // checked by Validate
	if err := os.Chmod(c.socketPath, mode); err != nil {
		ln.Close()
		return nil, fmt.Errorf("setting the permissions of %s: %w", c.socketPath, err)
	}
	if c.socketGroup != "" {
		g, err := user.LookupGroup(c.socketGroup)
		if err == nil {
			var gid int
			gid, err = strconv.Atoi(g.Gid)
			if err == nil {
				err = os.Chown(c.socketPath, -1, gid)
			}
		}
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("giving the socket %s to group %q: %w", c.socketPath, c.socketGroup, err)
		}
	}
	return ln, nil
}

// Addr returns the address listened on ("" before Start).
func (c *Collector) Addr() string {
	if c.listener == nil {
		return ""
	}
	return c.listener.Addr().String()
}

// Close stops the listener; requests still waiting are answered 503.
func (c *Collector) Close() error {
	c.closeMu.Do(func() { close(c.closing) })
	if c.server == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := c.server.Shutdown(ctx)
	<-c.served
	if c.useSocket {
		_ = os.Remove(c.socketPath)
	}
	return err
}

// ServeHTTP accepts a POST to the path and waits until the collection
// emitted its report.
func (c *Collector) ServeHTTP(w nethttp.ResponseWriter, r *nethttp.Request) {
	switch {
	case r.URL.Path != c.path:
		nethttp.Error(w, "not found", nethttp.StatusNotFound)
		return
	case r.Method != nethttp.MethodPost:
		w.Header().Set("Allow", nethttp.MethodPost)
		nethttp.Error(w, "only POST is accepted", nethttp.StatusMethodNotAllowed)
		return
	case !c.authorized(r):
		c.logger().Warn(fmt.Sprintf("Refused a request from %s without the right token.", r.RemoteAddr))
		nethttp.Error(w, "unauthorized", nethttp.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(nethttp.MaxBytesReader(w, r.Body, c.maxSize))
	if err != nil {
		var tooLarge *nethttp.MaxBytesError
		if errors.As(err, &tooLarge) {
			c.logger().Warn(fmt.Sprintf("Refused a body of more than %d bytes (max_size) from %s.", c.maxSize, r.RemoteAddr))
			nethttp.Error(w, "body too large", nethttp.StatusRequestEntityTooLarge)
			return
		}
		nethttp.Error(w, "could not read the body", nethttp.StatusBadRequest)
		return
	}
	if len(body) == 0 {
		nethttp.Error(w, "empty body", nethttp.StatusBadRequest)
		return
	}
	req := &request{body: body, done: make(chan error, 1)}
	c.waiting.Add(1)
	select {
	case c.requests <- req:
		c.waiting.Add(-1)
	case <-c.closing:
		c.waiting.Add(-1)
		nethttp.Error(w, "the collector is stopping", nethttp.StatusServiceUnavailable)
		return
	case <-r.Context().Done():
		c.waiting.Add(-1)
		return
	}
	// Once taken, the collection answers; the report may be stored even
	// when the client left meanwhile.
	if err := <-req.done; err != nil {
		nethttp.Error(w, "the report could not be stored", nethttp.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(nethttp.StatusOK)
}

// authorized checks the token, when there is one.
func (c *Collector) authorized(r *nethttp.Request) bool {
	if c.token == "" {
		return true
	}
	got := r.Header.Get("Authorization")
	if after, ok := strings.CutPrefix(got, "Bearer "); ok {
		got = after
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(c.token)) == 1
}

// Collect emits the bodies of the requests until the collection ends.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.server == nil {
		return errors.New("the collector was not started")
	}
	expired := make(chan struct{})
	if c.maxDuration > 0 {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			if c.bc.Clock.Sleep(sctx, c.maxDuration) == nil {
				close(expired)
			}
		}()
	}
	var sent int64
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-expired:
			c.logger().Info(fmt.Sprintf("Collection ended after max_duration %s, %d reports sent.", c.maxDuration, sent))
			return nil
		case req := <-c.requests:
			err := c.emit(ctx, out, req.body)
			req.done <- err
			if err != nil {
				return err
			}
			sent++
			if c.maxReports > 0 && sent >= c.maxReports {
				c.logger().Info(fmt.Sprintf("Collection ended after max_reports, %d reports sent.", sent))
				return nil
			}
		}
	}
}

func (c *Collector) emit(ctx context.Context, out botapi.Emitter, body []byte) error {
	r, err := report.New(c.bc)
	if err != nil {
		return err
	}
	if err := message.SetRawText(r, body); err != nil {
		return err
	}
	return out.Emit(ctx, r)
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
