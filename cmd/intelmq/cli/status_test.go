// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"context"
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
