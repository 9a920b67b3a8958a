// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/queue/queuetest"
)

// policies are the sync policies, each tested on its own.
func policies() []diskq.Sync {
	return []diskq.Sync{diskq.SyncAlways, diskq.SyncBatch, diskq.SyncNone}
}

func factory(sync diskq.Sync) queuetest.Factory {
	return queuetest.Factory{
		Storage: func(t *testing.T) queuetest.Opener {
			dir := t.TempDir()
			return func(opts queue.Options) (queue.Broker, error) {
				return diskq.OpenConfig(dir, opts, diskq.Config{Sync: sync})
			}
		},
		Persistent: true,
	}
}

func TestConformance(t *testing.T) {
	for _, sync := range policies() {
		t.Run("sync="+sync.String(), func(t *testing.T) { queuetest.Run(t, factory(sync)) })
	}
}

// crash runs the kill -9 test with policy sync. Each policy needs its own
// top-level test: the child process runs it again by name.
func crash(t *testing.T, sync diskq.Sync) {
	queuetest.Crash(t, queuetest.CrashConfig{
		Storage: func(t *testing.T) string { return t.TempDir() },
		Open: func(dir string) (queue.Broker, error) {
			return diskq.OpenConfig(dir, queue.Options{}, diskq.Config{Sync: sync})
		},
	})
}

func TestCrash(t *testing.T)       { crash(t, diskq.SyncDefault) }
func TestCrashAlways(t *testing.T) { crash(t, diskq.SyncAlways) }
func TestCrashNone(t *testing.T)   { crash(t, diskq.SyncNone) }

func TestSecondOpenFails(t *testing.T) {
	dir := t.TempDir()
	b, err := diskq.Open(dir, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = diskq.Open(dir, queue.Options{})
	if err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("second Open of %s: %v, want an in-use error", dir, err)
	}
	if got := b.Path(); got != filepath.Join(dir, diskq.FileName) {
		t.Fatalf("Path() = %q", got)
	}
}

func TestOpenErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := diskq.Open(file, queue.Options{}); err == nil {
		t.Fatal("Open of a regular file as a directory succeeded")
	}
	if _, err := diskq.Open("", queue.Options{}); err == nil {
		t.Fatal("Open of an empty name succeeded")
	}
	if _, err := diskq.Open(t.TempDir(), queue.Options{Limits: map[string]int{"q": -1}}); err == nil {
		t.Fatal("Open with a negative limit succeeded")
	}
}

// TestLengthAfterPrependAndAppend checks the contiguous-position scheme
// that Len relies on, across nacks (prepends) and sends (appends).
func TestLengthAfterPrependAndAppend(t *testing.T) {
	b, err := diskq.Open(t.TempDir(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	c, err := b.Consumer("q", "q-internal")
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for round := 0; round < 20; round++ {
		if err := b.Send(ctx, "q", []byte(fmt.Sprint(round)), []byte("x")); err != nil {
			t.Fatal(err)
		}
		want += 2
		bt, err := c.Receive(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		if round%3 == 0 {
			err = bt.Ack(ctx)
			want -= len(bt.Messages())
		} else {
			err = bt.Nack(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := b.Len(ctx, "q"); n != want {
			t.Fatalf("round %d: Len = %d, want %d", round, n, want)
		}
	}
}
