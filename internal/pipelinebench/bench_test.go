// SPDX-License-Identifier: AGPL-3.0-or-later

package pipelinebench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/bots/all"
	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/internal/redistest"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue/broker"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/runner"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// pipelineHCL is the benchmarked pipeline; the verbs are the output file
// and the list of experts.
const pipelineHCL = `
feed "feodo" {
  provider = "abuse.ch"
  collect "file" {
    path = "unused"
  }
  parser = parser.feodo
}

parser "feodo" {
  csv {
    comment = ["#"]
    columns = ["first_seen", "dst_ip", "dst_port", "c2_status", "last_online", "malware"]
  }
  set = {
    "classification.type" = "c2-server"
  }
  map = {
    "time.source"  = "first_seen + ' UTC'"
    "source.ip"    = "dst_ip"
    "source.port"  = "int(dst_port)"
    "malware.name" = "lower(malware)"
    "extra.status" = "c2_status"
  }
}

expert "taxonomy" "taxonomy" {}
expert "deduplicator" "dedup" {}

output "file" "events" {
  file = %q
}

pipeline "main" {
  feeds   = [feed.feodo]
  experts = [%s]
  route {
    to = [output.events]
  }
}
`

// logOut receives the bots' warnings and errors.
var logOut io.Writer = os.Stderr

// reportLines is the number of CSV lines per report.
const reportLines = 10_000

// The expert chains benchmarked: the 4-bot pipeline, and the same
// without the deduplicator, whose cache dominates the cost.
const (
	fourBots  = "expert.taxonomy, expert.dedup"
	threeBots = "expert.taxonomy"
)

func compilePlan(b *testing.B, out, experts string) (*plan.Plan, *botapi.Registry) {
	b.Helper()
	reg := botapi.NewRegistry()
	if err := all.Register(reg); err != nil {
		b.Fatal(err)
	}
	l := lang.NewLoader()
	f, diags := l.Parse("bench.hcl", []byte(fmt.Sprintf(pipelineHCL, out, experts)))
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	p, diags := compiler.Compile([]*lang.File{f}, &compiler.Env{Schema: harmonization.Default(), Bots: reg, ExprOptions: funcs.Options()})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	return p, reg
}

// reports returns n events' worth of Feodo-like CSV, as wire reports of
// reportLines lines each; every line is distinct, so the deduplicator
// passes all of them.
func reports(b *testing.B, n int) [][]byte {
	s := harmonization.Default()
	var out [][]byte
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "2024-01-%02d 10:%02d:%02d,10.%d.%d.%d,%d,online,2024-02-01,Emotet\n",
			1+i%28, i/60%60, i%60, i>>16&255, i>>8&255, i&255, 1024+i%50000)
		if (i+1)%reportLines == 0 || i == n-1 {
			r := message.NewReport(s)
			if err := r.AddString("feed.name", "Feodo"); err != nil {
				b.Fatal(err)
			}
			if err := r.AddString("time.observation", "2024-03-01T00:00:00+00:00"); err != nil {
				b.Fatal(err)
			}
			if err := message.SetRawText(r, sb.String()); err != nil {
				b.Fatal(err)
			}
			out = append(out, r.AppendWire(nil))
			sb.Reset()
		}
	}
	return out
}

// BenchmarkPipeline runs the 4-bot pipeline (parser → taxonomy →
// deduplicator → file) over b.N events per broker; ns/op is per event,
// and events/s is reported, with the processor time of the process per
// event (cpu-µs/event, which the load of a shared machine disturbs less
// than the rate), on Redis the Redis server's (redis-cpu-µs/event) and on
// the embedded queue its commits (commits/1k-events; each is fsynced
// unless sync=none).
func BenchmarkPipeline(b *testing.B) { benchBrokers(b, fourBots) }

// BenchmarkPipelineNoDedup is BenchmarkPipeline without the deduplicator.
func BenchmarkPipelineNoDedup(b *testing.B) { benchBrokers(b, threeBots) }

func benchBrokers(b *testing.B, experts string) {
	for _, k := range []struct {
		name string
		url  func(b *testing.B) string
	}{
		{"memory", func(*testing.B) string { return "memory://" }},
		{"embedded", func(b *testing.B) string { return "file://" + b.TempDir() }},
		{"embedded-none", func(b *testing.B) string { return "file://" + b.TempDir() + "?sync=none" }},
		{"redis", func(b *testing.B) string { return redistest.Start(b) + "?db=2" }},
	} {
		b.Run(k.name, func(b *testing.B) { benchPipeline(b, k.url(b), experts) })
	}
}

func benchPipeline(b *testing.B, url, experts string) {
	// The garbage collector's target of intelmq run.
	defer debug.SetGCPercent(debug.SetGCPercent(runner.GCPercent))
	dir := b.TempDir()
	p, reg := compilePlan(b, filepath.Join(dir, "events.jsonl"), experts)
	br, err := broker.Open(url, runner.QueueOptions(p, runner.DefaultMaxQueueLength))
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	redisURL := ""
	if strings.HasPrefix(url, "unix://") {
		redisURL = url
	}
	var only []string
	var outputs []string
	var parserQueue string
	for _, n := range p.Nodes {
		switch n.Kind {
		case plan.KindCollector:
			continue
		case plan.KindParser:
			parserQueue = n.Queue()
		case plan.KindOutput:
			outputs = append(outputs, n.ID)
		}
		only = append(only, n.ID)
	}
	input := reports(b, b.N)
	clk := clock.System{}
	sup := runner.NewSupervisor(runner.Options{
		Broker: br, Registry: reg, Schema: harmonization.Default(), Clock: clk,
		Logger:   func(id string) *slog.Logger { return botlog.New(botlog.SyncWriter(logOut), id, slog.LevelWarn, clk) },
		Dumps:    dump.Dir(filepath.Join(dir, "log")),
		StateDir: filepath.Join(dir, "bots"), BrokerURL: url, RedisURL: redisURL,
		Defaults: runner.DefaultBotOptions(), Only: only,
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	redisCPU0 := redisCPU(b, redisURL)
	stats, _ := br.(interface{ Stats() diskq.Stats })
	var stats0 diskq.Stats
	if stats != nil {
		stats0 = stats.Stats()
	}
	b.ResetTimer()
	start := time.Now()
	cpu0 := cpuTime(b)
	errc := make(chan error, 1)
	go func() { errc <- sup.Run(ctx, p, nil) }()
	go func() {
		for i, r := range input {
			if err := br.Send(ctx, parserQueue, r); err != nil && ctx.Err() == nil {
				b.Error(err)
				return
			}
			// The queue has it now: holding the whole input to the end
			// would raise the garbage collector's target (a multiple of
			// the live heap) and with it the memory the pipeline touches,
			// as no collector of intelmq run does.
			input[i] = nil
		}
	}()
	for written(sup, outputs) < int64(b.N) {
		if failed(sup) {
			b.Fatal("a bot failed or dumped a message; see the log above")
		}
		select {
		case err := <-errc:
			b.Fatalf("the supervisor stopped: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	elapsed := time.Since(start)
	cpu := cpuTime(b) - cpu0
	b.StopTimer()
	cancel()
	<-errc
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/event")
	if redisURL != "" {
		b.ReportMetric((redisCPU(b, redisURL)-redisCPU0)*1e6/float64(b.N), "redis-cpu-µs/event")
	}
	if stats != nil {
		b.ReportMetric(float64(stats.Stats().Commits-stats0.Commits)*1000/float64(b.N), "commits/1k-events")
	}
}

// redisCPU is redistest.CPU, or 0 without url.
func redisCPU(b *testing.B, url string) float64 {
	if url == "" {
		return 0
	}
	return redistest.CPU(b, url)
}

func failed(sup *runner.Supervisor) bool {
	for _, s := range sup.Snapshots() {
		if s.Failure > 0 || s.Dumped > 0 {
			return true
		}
	}
	return false
}

func written(sup *runner.Supervisor, outputs []string) int64 {
	var n int64
	for _, s := range sup.Snapshots() {
		for _, o := range outputs {
			if s.BotID == o {
				n += s.Success
			}
		}
	}
	return n
}

// BenchmarkRedisLPUSHCeiling runs "redis-benchmark -P 50 -t lpush" against
// a private Redis, the ceiling the Redis pipeline is measured against; it
// reports the LPUSH rate as requests/s (ns/op is meaningless here).
func BenchmarkRedisLPUSHCeiling(b *testing.B) {
	srv := redistest.StartServer(b)
	n := max(b.N, 200_000)
	out, err := exec.Command("redis-benchmark", "-s", srv.Socket, "-P", "50", "-t", "lpush", "-n", strconv.Itoa(n), "-q").CombinedOutput()
	if err != nil {
		b.Fatalf("redis-benchmark: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`LPUSH: ([0-9.]+) requests per second`).FindSubmatch(out)
	if m == nil {
		b.Fatalf("cannot read redis-benchmark's output:\n%s", out)
	}
	rate, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(rate, "requests/s")
}
