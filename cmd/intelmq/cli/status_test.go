// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/runner"
)

// While "intelmq run" holds the embedded queue, status still shows the
// bots' states from their state files, without queue sizes, and queues
// says why it cannot answer.
func TestStatusWhileQueueIsHeld(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "..", "examples", "quickstart"))); err != nil {
		t.Fatal(err)
	}
	st := stateDir(filepath.Join(dir, "var"))
	b, err := diskq.Open(st.queueDir(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	now := time.Now()
	snap := runner.Snapshot{BotID: "main-dedup-expert", Kind: "expert", State: runner.StateRunning,
		PID: os.Getpid(), Started: now.Add(-time.Second), Updated: now, Success: 7}
	if err := st.stats().WriteStats(context.Background(), snap); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	if code := Main([]string{"status", dir}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("status exited %d; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "queue sizes are unavailable while the pipeline runs in process") {
		t.Errorf("status does not say the queue sizes are unavailable; stderr:\n%s", stderr.String())
	}
	var line string
	for l := range strings.Lines(stdout.String()) {
		if strings.HasPrefix(l, "main-dedup-expert ") {
			line = l
		}
	}
	if f := strings.Fields(line); len(f) != 9 || f[2] != "running" || f[3] != "-" || f[4] != "-" || f[5] != "7" {
		t.Errorf("status line of main-dedup-expert = %q; want it running, queues -, 7 processed", line)
	}

	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"queues", dir}, nil, &stdout, &stderr); code != exitFindings {
		t.Errorf("queues exited %d, want %d; stderr:\n%s", code, exitFindings, stderr.String())
	}
	if !strings.Contains(stderr.String(), "queue sizes are unavailable while the pipeline runs in process") {
		t.Errorf("queues does not say why; stderr:\n%s", stderr.String())
	}
}

// The rate of a running bot is over its time since the start until now,
// not until its last state file (written after its last batch); that of a
// stopped bot until it stopped. A collector has no queue sizes.
func TestStatusRate(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "..", "examples", "quickstart"))); err != nil {
		t.Fatal(err)
	}
	st := stateDir(filepath.Join(dir, "var"))
	started := time.Now().Add(-100 * time.Second)
	for _, snap := range []runner.Snapshot{
		// idle since its one batch, 10 ms after the start
		{BotID: "main-dedup-expert", Kind: "expert", State: runner.StateRunning, PID: os.Getpid(),
			Started: started, Updated: started.Add(10 * time.Millisecond), Success: 100},
		{BotID: "main-taxonomy-expert", Kind: "expert", State: runner.StateStopped, PID: os.Getpid(),
			Started: started, Updated: started.Add(50 * time.Second), Success: 100},
		{BotID: "sample_csv-collector", Kind: "collector", State: runner.StateRunning, PID: os.Getpid(),
			Started: started, Updated: started.Add(10 * time.Millisecond), Success: 1},
	} {
		if err := st.stats().WriteStats(context.Background(), snap); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"status", "--json", dir}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("status exited %d; stderr:\n%s", code, stderr.String())
	}
	var out []botStatus
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	got := map[string]botStatus{}
	for _, s := range out {
		got[s.BotID] = s
	}
	if r := got["main-dedup-expert"].Rate; r < 0.9 || r > 1.01 {
		t.Errorf("rate of the running bot = %.2f/s, want about 1 (100 in 100 s)", r)
	}
	if r := got["main-taxonomy-expert"].Rate; r < 1.99 || r > 2.01 {
		t.Errorf("rate of the stopped bot = %.2f/s, want 2 (100 in its 50 s)", r)
	}
	if c := got["sample_csv-collector"]; c.Queue != nil || c.Internal != nil {
		t.Errorf("the collector has queue sizes %v, %v; want none", c.Queue, c.Internal)
	}
	if d := got["main-dedup-expert"]; d.Queue == nil || *d.Queue != 0 {
		t.Errorf("queue of main-dedup-expert = %v, want 0", d.Queue)
	}
}
