// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/runner"
)

const twoFeedsHCL = `
feed "a" {
  provider = "Example"
  collect "file" {
    path = "in"
  }
  parser = parser.p
}

feed "b" {
  provider = "Example"
  collect "file" {
    path = "in"
  }
  parser = parser.p
}

parser "p" {
  csv {
    columns = ["ip"]
  }
  set = {
    "classification.type" = "scanner"
  }
  map = {
    "source.ip" = "ip"
  }
}

output "file" "events" {
  file = "out/events.jsonl"
}

pipeline "main" {
  feeds = [feed.a, feed.b]
  route {
    to = [output.events]
  }
}
`

func compileTwoFeeds(t *testing.T) *plan.Plan {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pipeline.hcl"), []byte(twoFeedsHCL), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := compilePaths([]string{dir}, compileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.plan == nil {
		t.Fatalf("the test pipeline does not compile: %v", c.diags)
	}
	return c.plan
}

// TestQueueOptions checks that every parser's source queue holds at most
// two reports, unless limits are off.
func TestQueueOptions(t *testing.T) {
	p := compileTwoFeeds(t)
	qo := runner.QueueOptions(p, 10_000)
	want := map[string]int{"a-parser-queue": 2, "b-parser-queue": 2}
	if qo.MaxLen != 10_000 {
		t.Errorf("MaxLen = %d, want 10000", qo.MaxLen)
	}
	if diff := cmp.Diff(want, qo.Limits); diff != "" {
		t.Errorf("Limits (-want +got):\n%s", diff)
	}
	if qo.Limit("events-output-queue") != 10_000 || qo.Limit("a-parser-queue") != 2 {
		t.Errorf("Limit: output %d, parser %d; want 10000 and 2", qo.Limit("events-output-queue"), qo.Limit("a-parser-queue"))
	}
	if qo := runner.QueueOptions(p, 1); qo.Limit("a-parser-queue") != 1 {
		t.Errorf("with --max-queue-length 1 the parser's queue has limit %d, want 1", qo.Limit("a-parser-queue"))
	}
	if qo := runner.QueueOptions(p, 0); qo.MaxLen != 0 || len(qo.Limits) != 0 {
		t.Errorf("with --max-queue-length 0: %+v, want no limits", qo)
	}
}

// TestSummaryFailedBots checks that the summary counts and names the bots
// that stopped on an error: a collector that could not start (no failed
// collection counted) and one whose collection failed.
func TestSummaryFailedBots(t *testing.T) {
	p := compileTwoFeeds(t)
	var out bytes.Buffer
	r := &pipelineRun{env: &Env{Stdout: &out, Stderr: &out}, dir: "x", state: stateDir("x/var"), url: brokerEmbedded}
	snaps := []runner.Snapshot{
		{BotID: "a-collector", Kind: "collector", State: runner.StateFailed, Error: "move_to: not a directory"},
		{BotID: "b-collector", Kind: "collector", State: runner.StateFailed, Failure: 3,
			Error: "error_procedure is stop and the collection failed: reading the directory in: gone."},
		{BotID: "a-parser", Kind: "parser", State: runner.StateStopped, Failure: 2},
		{BotID: "events-output", Kind: "output", State: runner.StateStopped, Success: 5},
	}
	r.summary(p, snaps, time.Second)
	got := out.String()
	for _, want := range []string{
		": 5 events written by outputs, 6 failures, 0 messages dumped.\n",
		"\nBot a-collector (collector) failed and stopped: move_to: not a directory.\n",
		"\nBot b-collector (collector) failed and stopped: error_procedure is stop and the collection failed: reading the directory in: gone.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Bot a-parser") || strings.Contains(got, "Bot events-output") {
		t.Errorf("the summary names a bot that did not fail:\n%s", got)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(got, "\n") {
		if f := strings.Fields(line); len(f) >= 6 && (f[0] == "BOT" || strings.Contains(f[0], "-")) {
			rows[f[0]] = f[4] // FAILED
		}
	}
	if diff := cmp.Diff(map[string]string{"BOT": "FAILED", "a-collector": "1", "b-collector": "3", "a-parser": "2", "events-output": "0"}, rows); diff != "" {
		t.Errorf("the FAILED column (-want +got):\n%s", diff)
	}
}
