// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/bots/internal/redisopt"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "expert.deduplicator"

// Parameter names.
const (
	paramFilterKeys    = "filter_keys"
	paramFilterType    = "filter_type"
	paramBypass        = "bypass"
	paramCache         = "cache"
	paramRedisURL      = "redis_cache_url"
	paramRedisHost     = "redis_cache_host"
	paramRedisPort     = "redis_cache_port"
	paramRedisDB       = "redis_cache_db"
	paramRedisPassword = "redis_cache_password"
	paramTTL           = "redis_cache_ttl"
	paramLayout        = "redis_cache_layout"
)

// The values of the cache parameter.
const (
	cacheAuto  = "auto"
	cacheRedis = "redis"
	cacheLocal = "local"
)

// The values of the redis_cache_layout parameter.
const (
	layoutStream  = "stream"
	layoutIntelMQ = "intelmq"
)

// localCacheFile is the name of the local cache in the bot's state
// directory.
const localCacheFile = "deduplicator.db"

// Spec returns the declaration of the deduplicator expert.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindExpert,
		Doc: "Drops events seen before within the TTL, as IntelMQ's deduplicator does: the IntelMQ message hash " +
			"(over all fields but time.observation and the filter_keys, or only the filter_keys) is kept in a " +
			"Redis cache that Python IntelMQ deduplicators can share, or in a local cache when there is no Redis.",
		Params: []botapi.Param{
			{Name: paramFilterKeys, Type: botapi.TypeStringList, Default: []string{"raw", "time.observation"},
				Doc: "The fields left out of the hash (filter_type \"blacklist\") or the only fields hashed (\"whitelist\"). time.observation is never hashed."},
			{Name: paramFilterType, Type: botapi.TypeString, Default: "blacklist",
				Doc: "\"blacklist\" hashes every field but filter_keys; \"whitelist\" hashes only filter_keys."},
			{Name: paramBypass, Type: botapi.TypeBool, Default: false,
				Doc: "Forward every event without looking at the cache."},
			{Name: paramCache, Type: botapi.TypeString, Default: cacheAuto,
				Doc: "Where the hashes are kept: \"redis\", \"local\" (a file in the bot's state directory), or \"auto\": Redis when redis_cache_url or redis_cache_host is set or the pipeline runs on Redis, the local file otherwise."},
			{Name: paramRedisURL, Type: botapi.TypeString, Default: "",
				Doc: "The cache's Redis as a URL (redis://, rediss:// or unix://); its database defaults to redis_cache_db."},
			{Name: paramRedisHost, Type: botapi.TypeString, Default: "",
				Doc: "The cache's Redis host or Unix socket path; empty means the pipeline's Redis."},
			{Name: paramRedisPort, Type: botapi.TypeInt, Default: int64(6379),
				Doc: "The cache's Redis port."},
			{Name: paramRedisDB, Type: botapi.TypeInt, Default: int64(6),
				Doc: "The cache's Redis database; IntelMQ's deduplicators use 6."},
			{Name: paramRedisPassword, Type: botapi.TypeString, Default: "",
				Doc: "The cache's Redis password."},
			{Name: paramTTL, Type: botapi.TypeDuration, Default: 24 * time.Hour,
				Doc: "How long a hash is remembered, e.g. \"24h\" or 86400 (seconds); 0 keeps hashes forever."},
			{Name: paramLayout, Type: botapi.TypeString, Default: layoutStream,
				Doc: "How the hashes are kept in Redis: \"stream\", one stream entry per batch with the hashes also in the bot's memory (fast; shared by the Go deduplicators with the same TTL), or \"intelmq\", IntelMQ's key per hash with a TTL, which Python IntelMQ deduplicators share."},
		},
	}
}

// Register adds the deduplicator expert to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Expert is the deduplicator. The hashes of the events it forwards are
// stored when the runner flushes the batch, after the events were sent,
// so a failed or retried batch never marks an event as seen that was not
// delivered.
type Expert struct {
	bc         *botapi.Context
	filterKeys []string
	whitelist  bool
	bypass     bool
	ttl        time.Duration
	cache      string
	layout     string
	redis      redisopt.Settings

	store   store
	pending map[hashKey]struct{} // forwarded, not yet known to be stored: order and inflight
	order   []string             // forwarded since the last Flush

	// On Redis a Flush only starts storing (see Flush): inflight are the
	// hashes being stored, and done receives the outcome.
	inflight []string
	done     chan error

	// What Prepare found for the batch: its messages, the hash of each
	// and whether the cache held it (next is where Process looks first:
	// it sees the messages in order). The hashes are in one string per
	// batch, each as the store knows it (see appendKey).
	hasher  message.Hasher
	batch   []*message.Message
	hashes  []string
	found   []bool
	next    int
	keysBuf []byte
}

var (
	_ botapi.Processor = (*Expert)(nil)
	_ botapi.Validator = (*Expert)(nil)
	_ botapi.Starter   = (*Expert)(nil)
	_ botapi.Flusher   = (*Expert)(nil)
	_ botapi.Preparer  = (*Expert)(nil)
	_ botapi.Closer    = (*Expert)(nil)
)

// New builds the deduplicator from its parameters; it connects in Start.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	e := &Expert{
		bc:         bc,
		filterKeys: p.List(paramFilterKeys),
		whitelist:  p.String(paramFilterType) == "whitelist",
		bypass:     p.Bool(paramBypass),
		ttl:        p.Duration(paramTTL),
		cache:      p.String(paramCache),
		layout:     p.String(paramLayout),
		redis: redisopt.Settings{
			URL:      p.String(paramRedisURL),
			Host:     p.String(paramRedisHost),
			Port:     int(p.Int(paramRedisPort)),
			DB:       int(p.Int(paramRedisDB)),
			Password: p.String(paramRedisPassword),
			Timeout:  5 * time.Second,
		},
		pending: map[hashKey]struct{}{},
	}
	if ft := p.String(paramFilterType); ft != "blacklist" && ft != "whitelist" {
		return nil, botapi.ParamErrorf(paramFilterType, "must be \"blacklist\" or \"whitelist\", not %q", ft)
	}
	return e, nil
}

// Validate checks the cache choice against the settings.
func (e *Expert) Validate() error {
	switch e.cache {
	case cacheAuto, cacheRedis, cacheLocal:
	default:
		return botapi.ParamErrorf(paramCache, "must be \"auto\", \"redis\" or \"local\", not %q", e.cache)
	}
	if e.layout != layoutStream && e.layout != layoutIntelMQ {
		return botapi.ParamErrorf(paramLayout, "must be \"stream\" or \"intelmq\", not %q", e.layout)
	}
	if e.ttl < 0 {
		return botapi.ParamErrorf(paramTTL, "must not be negative, got %s", e.ttl)
	}
	if err := botapi.CheckFieldNames(e.bc.Schema, paramFilterKeys, e.filterKeys); err != nil {
		return err
	}
	_, err := e.redisOptions()
	return err
}

// useRedis reports whether the cache lives in Redis.
func (e *Expert) useRedis() bool {
	switch e.cache {
	case cacheRedis:
		return true
	case cacheLocal:
		return false
	}
	return e.redis.URL != "" || e.redis.Host != "" || e.bc.RedisURL != ""
}

// redisOptions returns the options of the cache's Redis: the configured
// URL or host, else the pipeline's Redis with the cache's database.
func (e *Expert) redisOptions() (*redis.Options, error) {
	s := e.redis
	if s.URL != "" || s.Host != "" || e.bc.RedisURL == "" {
		opts, err := redisopt.Options(s) // without any address: IntelMQ's 127.0.0.1:6379
		if err != nil {
			return nil, &botapi.ParamError{Name: paramRedisURL, Err: err} // the only error: a bad URL
		}
		return opts, nil
	}
	s.URL = e.bc.RedisURL
	opts, err := redisopt.Options(s)
	if err != nil {
		return nil, err
	}
	opts.DB = s.DB // the pipeline's URL names the pipeline's database
	return opts, nil
}

// Start opens the cache: it connects to Redis (and checks it answers) or
// opens the local cache file.
func (e *Expert) Start(ctx context.Context) error {
	if e.bypass {
		return nil
	}
	if !e.useRedis() {
		return e.openLocal()
	}
	opts, err := e.redisOptions()
	if err != nil {
		return botapi.Fatal(err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return fmt.Errorf("connecting to the cache at %s: %w", redisopt.Describe(opts), err)
	}
	if e.layout == layoutIntelMQ {
		e.store = &redisStore{client: client}
		e.logger().Info(fmt.Sprintf("Connected to the Redis cache at %s (IntelMQ's layout).", redisopt.Describe(opts)))
		return nil
	}
	s, err := openStreamStore(ctx, client, e.ttl, e.bc.Clock.Now)
	if err != nil {
		client.Close()
		return fmt.Errorf("loading the cache at %s: %w", redisopt.Describe(opts), err)
	}
	e.store = s
	e.logger().Info(fmt.Sprintf("Connected to the Redis cache at %s: %d live hashes in the stream %s.", redisopt.Describe(opts), s.live.len(), s.key))
	return nil
}

// openLocal opens the bbolt cache in the state directory, or an in-memory
// cache when the bot has no state directory.
func (e *Expert) openLocal() error {
	if e.bc.StateDir == "" {
		e.store = newMemoryStore(e.bc.Clock.Now)
		e.logger().Info("Using an in-memory cache, which is lost when the bot stops.")
		return nil
	}
	path := filepath.Join(e.bc.StateDir, localCacheFile)
	s, err := openBoltStore(path, e.bc.Clock.Now, e.logger())
	if err != nil {
		return err
	}
	e.store = s
	e.logger().Info(fmt.Sprintf("Using the local cache %s.", path))
	return nil
}

// Prepare hashes the batch's events and looks all the hashes up in one
// round trip (a pipelined MGET on Redis; in memory for the local cache).
// Process then uses the answers; an event Prepare did not see (a retried
// one, decoded anew) is looked up alone.
func (e *Expert) Prepare(ctx context.Context, msgs []*message.Message) error {
	e.forget()
	if e.bypass || e.store == nil {
		return nil
	}
	e.keysBuf = e.keysBuf[:0]
	for _, m := range msgs {
		e.keysBuf = e.appendKey(e.keysBuf, e.hasher.Sum(m, e.filterKeys, e.whitelist))
	}
	all := string(e.keysBuf)
	e.batch = append(e.batch[:0], msgs...)
	n := len(all) / max(len(msgs), 1)
	for i := range msgs {
		e.hashes = append(e.hashes, all[i*n:(i+1)*n])
	}
	// A hash twice in the batch is looked up twice, which costs less than
	// finding it: Process drops the second as forwarded already.
	e.found = slices.Grow(e.found[:0], len(e.hashes))[:len(e.hashes)]
	if err := e.store.lookup(ctx, e.hashes, e.found); err != nil {
		e.forget()
		return err
	}
	return nil
}

// appendKey appends the hash sum as the store knows it: its hex for
// IntelMQ's Redis layout, whose keys those are; its first 16 bytes (a
// hashKey, which keyOf takes as it is) for the stores that keep hashes in
// memory, which spares them the hex and its decoding.
func (e *Expert) appendKey(dst []byte, sum [sha256.Size]byte) []byte {
	if _, ok := e.store.(*redisStore); ok {
		return hex.AppendEncode(dst, sum[:])
	}
	return append(dst, sum[:len(hashKey{})]...)
}

// forget drops what Prepare found.
func (e *Expert) forget() {
	clear(e.batch)
	e.batch, e.hashes, e.found, e.next = e.batch[:0], e.hashes[:0], e.found[:0], 0
}

// hash returns msg's hash and its position in the batch Prepare saw,
// looking from where the previous message was; for a message Prepare did
// not see, the hash computed now and -1.
func (e *Expert) hash(msg *message.Message) (string, int) {
	for i := e.next; i < len(e.batch); i++ {
		if e.batch[i] == msg {
			e.next = i + 1
			return e.hashes[i], i
		}
	}
	return string(e.appendKey(nil, e.hasher.Sum(msg, e.filterKeys, e.whitelist))), -1
}

// Process forwards msg unless its hash is in the cache or was forwarded
// earlier in the same batch.
func (e *Expert) Process(ctx context.Context, msg *message.Message, out botapi.Sender) error {
	if e.bypass {
		return out.Send(botapi.DefaultPath, msg)
	}
	if e.store == nil {
		return errClosed
	}
	h, i := e.hash(msg)
	hk := keyOf(h)
	if _, dup := e.pending[hk]; dup {
		e.logger().Debug("Dropped message.")
		return nil
	}
	var seen bool
	if i >= 0 {
		seen = e.found[i]
	} else {
		var err error
		if seen, err = e.store.seen(ctx, h); err != nil {
			return err
		}
	}
	if seen {
		e.logger().Debug("Dropped message.")
		return nil
	}
	if err := out.Send(botapi.DefaultPath, msg); err != nil {
		return err
	}
	e.pending[hk] = struct{}{}
	e.order = append(e.order, h)
	return nil
}

// Flush stores the hashes of the events forwarded since the last flush.
// The runner calls it after the batch's events were sent and before the
// batch is acknowledged.
//
// In IntelMQ's Redis layout it only starts storing them, in a pipeline of
// its own, and returns: the next batch is taken and looked up meanwhile,
// and the next Flush (or Close) waits for the store to end. Until then the
// hashes stay in pending, which Process consults before the cache, so an
// event of the next batch is still found as a duplicate. A crash in between loses
// hashes of events that were delivered, which at most lets a duplicate
// through later (at-least-once); the events themselves are never lost.
// A failed store is taken up again by the next Flush.
func (e *Expert) Flush(ctx context.Context) error {
	e.forget()
	if e.store == nil {
		if len(e.order) == 0 {
			return nil
		}
		return errClosed
	}
	if err := e.settle(); err != nil {
		return err
	}
	if len(e.order) == 0 {
		return nil
	}
	if !e.store.concurrent() {
		if err := e.store.add(ctx, e.order, e.ttl); err != nil {
			return err
		}
		clear(e.pending)
		e.order = e.order[:0]
		return nil
	}
	e.inflight, e.order = e.order, e.inflight[:0]
	e.done = make(chan error, 1)
	hashes, done, store, ttl := e.inflight, e.done, e.store, e.ttl
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
		defer cancel()
		done <- store.add(ctx, hashes, ttl)
	}()
	return nil
}

// flushTimeout bounds a store of hashes that Flush started.
const flushTimeout = time.Minute

// settle waits for the store Flush started, if any. Its hashes are then
// stored, and leave pending; after a failure they go back to order, to be
// stored by this Flush, and its error is returned.
func (e *Expert) settle() error {
	if e.done == nil {
		return nil
	}
	err := <-e.done
	e.done = nil
	if err != nil {
		e.order = append(e.inflight, e.order...)
		e.inflight = nil
		return err
	}
	for _, h := range e.inflight {
		delete(e.pending, keyOf(h))
	}
	clear(e.inflight)
	e.inflight = e.inflight[:0]
	return nil
}

// Close closes the cache. Hashes not flushed are forgotten: their batch was
// not acknowledged and will be processed again.
func (e *Expert) Close() error {
	if e.store == nil {
		return nil
	}
	if err := e.settle(); err != nil {
		e.logger().Warn(fmt.Sprintf("Could not store the hashes of %d forwarded events in the cache: %v; they may pass again.", len(e.order), err))
	}
	err := e.store.close()
	e.store = nil
	return err
}

func (e *Expert) logger() *slog.Logger {
	if e.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.bc.Logger
}
