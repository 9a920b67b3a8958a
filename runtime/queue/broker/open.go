// SPDX-License-Identifier: AGPL-3.0-or-later

package broker

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/queue/memq"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
)

// Kind names a broker implementation.
type Kind string

// The broker kinds.
const (
	Memory Kind = "memory"
	Disk   Kind = "disk"
	Redis  Kind = "redis"
)

// Parse returns the kind of broker rawURL names and, for Disk, the
// directory.
func Parse(rawURL string) (kind Kind, dir string, err error) {
	if rawURL == "" {
		return "", "", fmt.Errorf("broker: empty URL; use memory://, a directory, file://<dir>, redis://host:port/db or unix:///path/redis.sock")
	}
	if !strings.Contains(rawURL, "://") {
		return Disk, rawURL, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", "", fmt.Errorf("broker: invalid URL: %w", err)
	}
	switch u.Scheme {
	case "memory":
		return Memory, "", nil
	case "file":
		dir := u.Path
		if u.Host != "" && u.Host != "localhost" {
			dir = u.Host + u.Path // file://relative/dir
		}
		if dir == "" {
			return "", "", fmt.Errorf("broker: %q names no directory", rawURL)
		}
		return Disk, dir, nil
	case "redis", "rediss", "unix":
		return Redis, "", nil
	}
	return "", "", fmt.Errorf("broker: unsupported URL scheme %q; use memory://, a directory, file://<dir>, redis://, rediss:// or unix://", u.Scheme)
}

// Open opens the broker rawURL names, configured by opts. A Redis broker
// connects lazily: an unreachable Redis is reported by the first call that
// needs it, as a queue.ErrUnavailable.
func Open(rawURL string, opts queue.Options) (queue.Broker, error) {
	kind, dir, err := Parse(rawURL)
	if err != nil {
		return nil, err
	}
	switch kind {
	case Memory:
		return memq.New(opts)
	case Disk:
		// The directory comes from Parse; diskq reads its own options
		// (?sync=always|batch|none) from the URL.
		_, cfg, err := diskq.ParseURL(rawURL)
		if err != nil {
			return nil, err
		}
		return diskq.OpenConfig(dir, opts, cfg)
	default:
		return redisq.Open(rawURL, opts)
	}
}
