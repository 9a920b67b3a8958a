// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"fmt"
	"net/url"
	"strings"
)

// Sync is the durability (fsync) policy of a store; see the package
// documentation, section Durability.
type Sync int

// The policies.
const (
	// SyncDefault is the default policy, SyncBatch.
	SyncDefault Sync = iota
	// SyncAlways fsyncs every commit, and every call returns only after
	// the commit that holds its change reached the disk.
	SyncAlways
	// SyncBatch fsyncs every commit; Send and Clear return after theirs,
	// Receive, Ack and Nack before.
	SyncBatch
	// SyncNone never fsyncs while the store is open. A kill -9 loses
	// nothing; a power loss or a crash of the operating system may lose
	// or damage the file.
	SyncNone
)

// name returns the policy's name, ok false for an unknown policy.
func (s Sync) name() (string, bool) {
	switch s {
	case SyncDefault:
		return "", true
	case SyncAlways:
		return "always", true
	case SyncBatch:
		return "batch", true
	case SyncNone:
		return "none", true
	}
	return "", false
}

// String returns the policy's name as ParseSync accepts it; SyncDefault is
// named after the policy it stands for.
func (s Sync) String() string {
	if n, ok := s.resolve().name(); ok {
		return n
	}
	return fmt.Sprintf("Sync(%d)", int(s))
}

// resolve turns SyncDefault into the default policy.
func (s Sync) resolve() Sync {
	if s == SyncDefault {
		return SyncBatch
	}
	return s
}

// ParseSync returns the policy named s: always, batch or none; the empty
// string is the default.
func ParseSync(s string) (Sync, error) {
	for p := SyncDefault; p <= SyncNone; p++ {
		if n, _ := p.name(); n == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("diskq: unknown sync policy %q; use always, batch or none", s)
}

// Config configures a store beyond queue.Options.
type Config struct {
	// Sync is the durability policy; the zero value is the default.
	Sync Sync
}

func (c Config) validate() error {
	if _, ok := c.Sync.name(); !ok {
		return fmt.Errorf("diskq: unknown sync policy %d", int(c.Sync))
	}
	return nil
}

// ParseURL returns the directory and configuration a URL names: a plain
// directory name (taken as it is, with the default configuration), or
// file://<dir> with the optional query parameter sync (always, batch or
// none), for example file:///var/lib/intelmq/queues?sync=always. As in
// package broker, file://relative/dir names a relative directory.
func ParseURL(rawURL string) (dir string, cfg Config, err error) {
	if !strings.Contains(rawURL, "://") {
		return rawURL, cfg, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", cfg, fmt.Errorf("diskq: invalid URL: %w", err)
	}
	if u.Scheme != "file" {
		return "", cfg, fmt.Errorf("diskq: unsupported URL scheme %q; use a directory or file://<dir>", u.Scheme)
	}
	dir = u.Path
	if u.Host != "" && u.Host != "localhost" {
		dir = u.Host + u.Path // file://relative/dir
	}
	if dir == "" {
		return "", cfg, fmt.Errorf("diskq: %q names no directory", rawURL)
	}
	for k, v := range u.Query() {
		if k != "sync" {
			return "", cfg, fmt.Errorf("diskq: unknown URL parameter %q in %q; the only one is sync", k, rawURL)
		}
		if cfg.Sync, err = ParseSync(v[len(v)-1]); err != nil {
			return "", cfg, err
		}
	}
	return dir, cfg, nil
}
