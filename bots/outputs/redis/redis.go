// SPDX-License-Identifier: AGPL-3.0-or-later

package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/bots/internal/redisopt"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "output.redis"

// Parameter names, as in IntelMQ (plus redis_url).
const (
	paramQueue        = "redis_queue"
	paramURL          = "redis_url"
	paramHost         = "redis_server_ip"
	paramPort         = "redis_server_port"
	paramDB           = "redis_db"
	paramPassword     = "redis_password"
	paramTimeout      = "redis_timeout"
	paramHierarchical = "hierarchical_output"
	paramWithType     = "with_type"
)

// pushChunk bounds the number of values of one LPUSH command.
const pushChunk = 10000

// Spec returns the declaration of the Redis output.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindOutput,
		Doc: "Pushes every event as JSON (sorted keys, UTF-8, raw kept) onto a Redis list with LPUSH, as IntelMQ's " +
			"redis output does, for a consumer that pops from the other end.",
		Params: []botapi.Param{
			{Name: paramQueue, Type: botapi.TypeString, Required: true,
				Doc: "The Redis list (key) the events are pushed onto."},
			{Name: paramURL, Type: botapi.TypeString, Default: "",
				Doc: "The Redis as a URL (redis://, rediss:// or unix://); when set, redis_server_ip and redis_server_port are ignored and redis_db is the default database."},
			{Name: paramHost, Type: botapi.TypeString, Default: "127.0.0.1",
				Doc: "The Redis host, or the path of its Unix socket."},
			{Name: paramPort, Type: botapi.TypeInt, Default: int64(6379),
				Doc: "The Redis port."},
			{Name: paramDB, Type: botapi.TypeInt, Default: int64(2),
				Doc: "The Redis database."},
			{Name: paramPassword, Type: botapi.TypeString, Default: "",
				Doc: "The Redis password."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: 5 * time.Second,
				Doc: "The timeout of connecting, reading and writing, e.g. \"5s\" (IntelMQ's redis_timeout is in milliseconds; a number here means seconds)."},
			{Name: paramHierarchical, Type: botapi.TypeBool, Default: false,
				Doc: "Push nested objects ({\"source\": {\"ip\": ...}}) instead of dotted keys."},
			{Name: paramWithType, Type: botapi.TypeBool, Default: true,
				Doc: "Add \"__type\": \"Event\" to every message."},
		},
	}
}

// Register adds the Redis output to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Output is the Redis output. Events are pushed when the runner flushes a
// batch, in one round trip, before the batch is acknowledged.
type Output struct {
	bc       *botapi.Context
	queue    string
	settings redisopt.Settings
	opts     message.JSONOptions

	client  *redis.Client
	pending []any // JSON texts, as []byte, in processing order
}

var (
	_ botapi.Processor = (*Output)(nil)
	_ botapi.Validator = (*Output)(nil)
	_ botapi.Starter   = (*Output)(nil)
	_ botapi.Flusher   = (*Output)(nil)
	_ botapi.Closer    = (*Output)(nil)
)

// New builds the Redis output from its parameters; it connects in Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return &Output{
		bc:    bc,
		queue: p.String(paramQueue),
		settings: redisopt.Settings{
			URL:      p.String(paramURL),
			Host:     p.String(paramHost),
			Port:     int(p.Int(paramPort)),
			DB:       int(p.Int(paramDB)),
			Password: p.String(paramPassword),
			Timeout:  p.Duration(paramTimeout),
		},
		opts: message.JSONOptions{Hierarchical: p.Bool(paramHierarchical), WithType: p.Bool(paramWithType)},
	}, nil
}

// Validate checks the queue name and the Redis address.
func (o *Output) Validate() error {
	if o.queue == "" {
		return botapi.ParamErrorf(paramQueue, "is empty")
	}
	if _, err := redisopt.Options(o.settings); err != nil {
		return &botapi.ParamError{Name: paramURL, Err: err} // the only error: a bad redis_url
	}
	return nil
}

// Start connects to Redis and checks that it answers.
func (o *Output) Start(ctx context.Context) error {
	opts, err := redisopt.Options(o.settings)
	if err != nil {
		return botapi.Fatal(err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return fmt.Errorf("connecting to Redis at %s: %w", redisopt.Describe(opts), err)
	}
	o.client = client
	o.logger().Info(fmt.Sprintf("Connected successfully to Redis at %s.", redisopt.Describe(opts)))
	return nil
}

// Process queues msg for the next push.
func (o *Output) Process(_ context.Context, msg *message.Message, _ botapi.Sender) error {
	o.pending = append(o.pending, msg.AppendJSONWith(nil, o.opts))
	return nil
}

// Flush pushes the queued events with LPUSH, in processing order, so a
// consumer popping from the right (RPOP) reads them in that order.
func (o *Output) Flush(ctx context.Context) error {
	if len(o.pending) == 0 {
		return nil
	}
	if o.client == nil {
		return errors.New("the Redis output is not connected")
	}
	_, err := o.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for start := 0; start < len(o.pending); start += pushChunk {
			p.LPush(ctx, o.queue, o.pending[start:min(start+pushChunk, len(o.pending))]...)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pushing %d events to %s: %w", len(o.pending), o.queue, err)
	}
	clear(o.pending)
	o.pending = o.pending[:0]
	return nil
}

// Close pushes what is still queued and disconnects.
func (o *Output) Close() error {
	if o.client == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout())
	defer cancel()
	err := o.Flush(ctx)
	return errors.Join(err, o.client.Close())
}

func (o *Output) timeout() time.Duration {
	if o.settings.Timeout > 0 {
		return o.settings.Timeout
	}
	return 5 * time.Second
}

func (o *Output) logger() *slog.Logger {
	if o.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.bc.Logger
}
