// SPDX-License-Identifier: AGPL-3.0-or-later

package broker_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/broker"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/queue/memq"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
)

func TestParse(t *testing.T) {
	tests := []struct {
		url  string
		kind broker.Kind
		dir  string
	}{
		{"memory://", broker.Memory, ""},
		{"/var/lib/intelmq/queues", broker.Disk, "/var/lib/intelmq/queues"},
		{"var/queues", broker.Disk, "var/queues"},
		{"file:///var/lib/q", broker.Disk, "/var/lib/q"},
		{"file://localhost/var/lib/q", broker.Disk, "/var/lib/q"},
		{"file://var/q", broker.Disk, "var/q"},
		{"redis://localhost:6379/2", broker.Redis, ""},
		{"rediss://:pw@h/2", broker.Redis, ""},
		{"unix:///run/redis.sock?db=2", broker.Redis, ""},
	}
	for _, tt := range tests {
		kind, dir, err := broker.Parse(tt.url)
		if err != nil || kind != tt.kind || dir != tt.dir {
			t.Errorf("Parse(%q) = %q, %q, %v; want %q, %q", tt.url, kind, dir, err, tt.kind, tt.dir)
		}
	}
	for _, bad := range []string{"", "amqp://h", "file://"} {
		if _, _, err := broker.Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
	_, _, err := broker.Parse("amqp://guest@h")
	if err == nil || !strings.Contains(err.Error(), `"amqp"`) || !strings.Contains(err.Error(), "redis://") {
		t.Errorf("Parse(amqp) error %v, want the scheme and the choices", err)
	}
}

func TestOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "queues")
	tests := []struct {
		url   string
		check func(queue.Broker) bool
	}{
		{"memory://", func(b queue.Broker) bool { _, ok := b.(*memq.Broker); return ok }},
		{dir, func(b queue.Broker) bool { _, ok := b.(*diskq.Broker); return ok }},
		{"file://" + dir, func(b queue.Broker) bool { _, ok := b.(*diskq.Broker); return ok }},
		{redistest.Start(t), func(b queue.Broker) bool { _, ok := b.(*redisq.Broker); return ok }},
	}
	ctx := context.Background()
	for _, tt := range tests {
		b, err := broker.Open(tt.url, queue.Options{})
		if err != nil {
			t.Fatalf("Open(%q): %v", tt.url, err)
		}
		if !tt.check(b) {
			t.Errorf("Open(%q) returned a %T", tt.url, b)
		}
		if err := b.Send(ctx, "q", []byte("m")); err != nil {
			t.Errorf("Send through Open(%q): %v", tt.url, err)
		}
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, diskq.FileName)); err != nil {
		t.Errorf("the disk broker made no store file: %v", err)
	}
	if _, err := broker.Open("memory://", queue.Options{MaxLen: -1}); err == nil {
		t.Error("Open accepted invalid options")
	}
}

// TestOpenDiskSync checks that the disk broker reads its durability policy
// from the URL: sync=none marks the store as unsynced while it is open, and
// an unknown policy is refused.
func TestOpenDiskSync(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "queues")
	b, err := broker.Open("file://"+dir+"?sync=none", queue.Options{})
	if err != nil {
		t.Fatalf("Open with sync=none: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, diskq.FileName+".unsynced")); err != nil {
		t.Errorf("sync=none did not reach the store: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := broker.Open("file://"+dir+"?sync=sometimes", queue.Options{}); err == nil {
		t.Error("Open accepted an unknown sync policy")
	}
}
