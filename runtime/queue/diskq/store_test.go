// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/intelmq-go/intelmq/runtime/queue"
)

func mustOpen(t *testing.T, dir string, sync Sync) *Broker {
	t.Helper()
	b, err := OpenConfig(dir, queue.Options{}, Config{Sync: sync})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stored returns the number of segments and of live counts in the file.
func stored(t *testing.T, b *Broker) (segments, lives int) {
	t.Helper()
	err := b.view(func(s store) error { // Stats would miss uncommitted changes
		if err := s.data.ForEachBucket(func([]byte) error { segments++; return nil }); err != nil {
			return err
		}
		return s.live.ForEach(func(_, _ []byte) error { lives++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return segments, lives
}

func numbered(from, to int) [][]byte {
	var out [][]byte
	for i := from; i < to; i++ {
		out = append(out, []byte(fmt.Sprintf("m%05d", i)))
	}
	return out
}

func wantNumbered(t *testing.T, got [][]byte, from int) {
	t.Helper()
	for i, m := range got {
		if want := fmt.Sprintf("m%05d", from+i); string(m) != want {
			t.Fatalf("message %d = %q, want %q", i, m, want)
		}
	}
}

// TestSegmentsReleased: messages sent together share a segment; a
// segment survives while any queue refers to part of it, and nothing is
// left once every message is acknowledged or cleared, whatever the mix of
// partial receives, partial acks and nacks.
func TestSegmentsReleased(t *testing.T) {
	for _, sync := range []Sync{SyncAlways, SyncBatch, SyncNone} {
		t.Run(sync.String(), func(t *testing.T) {
			b := mustOpen(t, t.TempDir(), sync)
			defer b.Close()
			ctx := context.Background()
			for i := 0; i < 100; i += 10 {
				if err := b.Send(ctx, "src", numbered(i, i+10)...); err != nil {
					t.Fatal(err)
				}
			}
			if segs, _ := stored(t, b); segs != 10 {
				t.Fatalf("%d segments after 10 sends, want 10", segs)
			}
			c, err := b.Consumer("src", "src-internal")
			if err != nil {
				t.Fatal(err)
			}
			next := 0
			for round := 0; next < 100; round++ {
				bt, err := c.Receive(ctx, 1+round*7%23)
				if err != nil {
					t.Fatal(err)
				}
				wantNumbered(t, bt.Messages(), next)
				if round%4 == 3 {
					err = bt.Nack(ctx)
				} else {
					err = bt.Ack(ctx)
					next += len(bt.Messages())
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if n, _ := b.Len(ctx, "src"); n != 0 {
				t.Fatalf("Len = %d after draining", n)
			}
			if segs, lives := stored(t, b); segs != 0 || lives != 0 {
				t.Fatalf("%d segments and %d live counts left after draining", segs, lives)
			}
			// Clear releases too, also of a segment split between queues.
			if err := b.Send(ctx, "src", numbered(0, 10)...); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Receive(ctx, 4); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"src", "src-internal"} {
				if err := b.Clear(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			if segs, lives := stored(t, b); segs != 0 || lives != 0 {
				t.Fatalf("%d segments and %d live counts left after Clear", segs, lives)
			}
		})
	}
}

// TestLargeSend: a Send larger than a segment is split into several, in
// order, and received whole across them.
func TestLargeSend(t *testing.T) {
	b := mustOpen(t, t.TempDir(), SyncNone)
	defer b.Close()
	ctx := context.Background()
	big := func(i int) []byte { return bytes.Repeat([]byte{byte('a' + i)}, maxSegment*2/5) }
	msgs := [][]byte{big(0), big(1), big(2), big(3), bytes.Repeat([]byte("z"), maxSegment+1), big(4)}
	if err := b.Send(ctx, "q", msgs...); err != nil {
		t.Fatal(err)
	}
	if segs, _ := stored(t, b); segs != 4 {
		t.Fatalf("%d segments, want 4", segs)
	}
	c, err := b.Consumer("q", "q-internal")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	for len(got) < len(msgs) {
		bt, err := c.Receive(ctx, 4)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, bt.Messages()...)
		if err := bt.Ack(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for i := range msgs {
		if !bytes.Equal(got[i], msgs[i]) {
			t.Fatalf("message %d differs", i)
		}
	}
	if segs, lives := stored(t, b); segs != 0 || lives != 0 {
		t.Fatalf("%d segments and %d live counts left", segs, lives)
	}
}

// TestReceivedMessagesAreSeparate: appending to a received message never
// overwrites the next one, which shares its buffer.
func TestReceivedMessagesAreSeparate(t *testing.T) {
	b := mustOpen(t, t.TempDir(), SyncBatch)
	defer b.Close()
	ctx := context.Background()
	if err := b.Send(ctx, "q", []byte("one"), []byte("two")); err != nil {
		t.Fatal(err)
	}
	c, err := b.Consumer("q", "q-internal")
	if err != nil {
		t.Fatal(err)
	}
	bt, err := c.Receive(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	ms := bt.Messages()
	_ = append(ms[0], "XXX"...)
	if string(ms[1]) != "two" {
		t.Fatalf("second message = %q after appending to the first", ms[1])
	}
}

// TestConvertFormat1: a file written by the first format (one message per
// key in a top-level bucket per queue) is converted on open, queue names
// that clash with the new buckets included, and its internal queues are
// redelivered first.
func TestConvertFormat1(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	v1 := map[string][][]byte{
		"src":          numbered(3, 10),
		"src-internal": numbered(0, 3),
		"diskq.queues": numbered(0, 2),
		"empty":        nil,
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for name, msgs := range v1 {
			bk, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			for i, m := range msgs {
				k := make([]byte, 8)
				binary.BigEndian.PutUint64(k, base+uint64(i))
				if err := bk.Put(k, m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b := mustOpen(t, dir, SyncDefault)
	defer b.Close()
	ctx := context.Background()
	qs, err := b.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(qs) != "[{diskq.queues 2} {src 7} {src-internal 3}]" {
		t.Fatalf("Queues() = %v", qs)
	}
	c, err := b.Consumer("src", "src-internal")
	if err != nil {
		t.Fatal(err)
	}
	bt, err := c.Receive(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !bt.Redelivered() || len(bt.Messages()) != 10 {
		t.Fatalf("first batch: %d messages, redelivered %v", len(bt.Messages()), bt.Redelivered())
	}
	wantNumbered(t, bt.Messages(), 0)
}

// crashClose closes b's file the way a kill -9 leaves it: pending changes
// committed, nothing else done.
func crashClose(t *testing.T, b *Broker) {
	t.Helper()
	b.life.Lock()
	b.closed = true
	close(b.done)
	<-b.stopped
	b.life.Unlock()
	if err := b.db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestUncleanUnsyncedSession: a sync=none session that did not close
// leaves a mark, which makes the next Open check the file; a clean Close
// or a synced session removes it.
func TestUncleanUnsyncedSession(t *testing.T) {
	dir := t.TempDir()
	mark := filepath.Join(dir, FileName+markSuffix)
	marked := func() bool {
		_, err := os.Stat(mark)
		return err == nil
	}
	b := mustOpen(t, dir, SyncNone)
	if err := b.Send(context.Background(), "q", numbered(0, 5)...); err != nil {
		t.Fatal(err)
	}
	if !marked() {
		t.Fatal("no mark while a sync=none broker is open")
	}
	crashClose(t, b)
	b = mustOpen(t, dir, SyncAlways) // checks the file
	if marked() {
		t.Fatal("mark kept by a sync=always broker")
	}
	if n, _ := b.Len(context.Background(), "q"); n != 5 {
		t.Fatalf("Len = %d, want 5", n)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b = mustOpen(t, dir, SyncNone)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if marked() {
		t.Fatal("mark left by a clean Close")
	}
}

// TestDamagedFile: after an unclean sync=none session, Open reports a
// file whose pages were lost (as a power loss may leave it) as damaged,
// instead of letting bbolt abort the process.
func TestDamagedFile(t *testing.T) {
	for _, damage := range []struct {
		name string
		fn   func(data []byte, pageSize int)
	}{
		{"pages zeroed", func(data []byte, ps int) { clear(data[2*ps:]) }},
		{"pages swapped", func(data []byte, ps int) {
			n := len(data) / ps
			for p := 2; p+1 < n; p += 2 {
				a, b := data[p*ps:(p+1)*ps], data[(p+1)*ps:(p+2)*ps]
				tmp := bytes.Clone(a)
				copy(a, b)
				copy(b, tmp)
			}
		}},
		{"meta pages zeroed", func(data []byte, ps int) { clear(data[:2*ps]) }},
	} {
		t.Run(damage.name, func(t *testing.T) {
			dir := t.TempDir()
			b := mustOpen(t, dir, SyncNone)
			for i := 0; i < 30; i++ {
				if err := b.Send(context.Background(), fmt.Sprintf("q%d", i), numbered(0, 50)...); err != nil {
					t.Fatal(err)
				}
			}
			crashClose(t, b)
			path := filepath.Join(dir, FileName)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			damage.fn(data, os.Getpagesize())
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err = OpenConfig(dir, queue.Options{}, Config{})
			if err == nil || !strings.Contains(err.Error(), "damaged") && !strings.Contains(err.Error(), "invalid") {
				t.Fatalf("Open of a damaged file: %v", err)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		url, dir string
		sync     Sync
		err      bool
	}{
		{url: "/var/lib/q", dir: "/var/lib/q"},
		{url: "relative/dir?x", dir: "relative/dir?x"},
		{url: "file:///var/lib/q", dir: "/var/lib/q"},
		{url: "file://localhost/var/lib/q?sync=none", dir: "/var/lib/q", sync: SyncNone},
		{url: "file://rel/dir?sync=always", dir: "rel/dir", sync: SyncAlways},
		{url: "file:///q?sync=batch", dir: "/q", sync: SyncBatch},
		{url: "file:///q?sync=", dir: "/q"},
		{url: "file:///q?sync=sometimes", err: true},
		{url: "file:///q?fsync=none", err: true},
		{url: "file://", err: true},
		{url: "redis://localhost", err: true},
	} {
		dir, cfg, err := ParseURL(c.url)
		if (err != nil) != c.err || dir != c.dir || cfg.Sync != c.sync {
			t.Errorf("ParseURL(%q) = %q, %v, %v", c.url, dir, cfg.Sync, err)
		}
	}
	if SyncDefault.String() != "batch" || SyncNone.String() != "none" || Sync(9).String() != "Sync(9)" {
		t.Error("Sync.String")
	}
	if _, err := OpenConfig(t.TempDir(), queue.Options{}, Config{Sync: 9}); err == nil {
		t.Error("OpenConfig accepted an unknown policy")
	}
}

// TestRandomDamage: whatever pages a power loss garbles, Open after an
// unclean sync=none session either refuses the file or opens one that
// bbolt can read, and the process survives.
func TestRandomDamage(t *testing.T) {
	dir := t.TempDir()
	b := mustOpen(t, dir, SyncNone)
	ctx := context.Background()
	for i := 0; i < 40; i++ {
		if err := b.Send(ctx, fmt.Sprintf("q%d", i%7), numbered(0, 1+i*13%200)...); err != nil {
			t.Fatal(err)
		}
	}
	crashClose(t, b)
	path := filepath.Join(dir, FileName)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := os.Getpagesize()
	pages := len(orig) / ps
	rng := rand.New(rand.NewPCG(1, 2))
	refused := 0
	for round := 0; round < 60; round++ {
		data := bytes.Clone(orig)
		for k := 0; k < 1+round%4; k++ {
			p := 2 + rng.IntN(pages-2)
			switch rng.IntN(3) {
			case 0: // a page lost: zeros
				clear(data[p*ps : (p+1)*ps])
			case 1: // a stale page: another page's bytes
				copy(data[p*ps:(p+1)*ps], orig[(2+rng.IntN(pages-2))*ps:])
			default: // a few bytes of the header garbled
				for j := 0; j < 4; j++ {
					data[p*ps+rng.IntN(32)] = byte(rng.IntN(256))
				}
			}
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+markSuffix, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := OpenConfig(dir, queue.Options{}, Config{Sync: SyncNone})
		if err != nil {
			refused++
			continue
		}
		// Whatever opened must be usable: read every queue.
		qs, err := b.Queues(ctx)
		if err == nil {
			for _, q := range qs {
				c, err := b.Consumer(q.Name, q.Name+"-internal")
				if err != nil {
					t.Fatal(err)
				}
				rctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
				_, _ = c.Receive(rctx, 1000)
				cancel()
				_ = c.Close()
			}
		}
		crashClose(t, b)
	}
	t.Logf("%d of 60 damaged files refused", refused)
}
