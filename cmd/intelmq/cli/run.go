// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/sockq"
	"github.com/intelmq-go/intelmq/runtime/runner"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func runRun(env *Env, args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	sf := addStateFlags(fs)
	var only stringsFlag
	fs.Var(&only, "bot", "run only this bot id (repeatable); spread a pipeline over processes on one Redis")
	once := fs.Bool("once", false, "run each collector once and stop when every queue is drained")
	level := fs.String("log-level", "INFO", "the bots' logging level: DEBUG, INFO, WARNING, ERROR or CRITICAL")
	maxLen := fs.Int("max-queue-length", runner.DefaultMaxQueueLength, "the length at which sends to a queue wait (backpressure); 0 for none")
	redisCache := fs.String("redis", "", "the Redis URL bots use for caches (default: the broker's Redis, if it is one)")
	progress := fs.Bool("progress", isTerminal(env.Stdout), "show events/s and queue depths while running")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: intelmq run [--once] [--bot ID]... [--broker URL] [--state DIR] [dir]")
		fmt.Fprintln(fs.Output(), "Runs every bot of the pipelines declared in dir in this process: on the embedded queue in <dir>/var/queue by default, or on Redis with --broker redis://host:6379/2.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	lvl, err := botlog.ParseLevel(*level)
	if err != nil {
		env.Errorf("intelmq run: %v", err)
		return exitUsage
	}
	dir := configDir(fs)
	p, code := compileForRun(env, "run", dir, sf.compile)
	if p == nil {
		return code
	}
	st, url := sf.resolve(dir)
	r := &pipelineRun{env: env, dir: dir, compile: sf.compile, state: st, url: url, level: lvl, clock: clock.System{}}
	defer r.close()
	if err := r.open(runner.QueueOptions(p, *maxLen)); err != nil {
		env.Errorf("intelmq run: %v", err)
		return exitUsage
	}
	if *redisCache != "" {
		r.redisURL = *redisCache
	}
	return r.run(p, only, *once, *progress)
}

// compileForRun compiles dir and prints its diagnostics; the plan is nil
// when it has errors, with the exit code to return.
func compileForRun(env *Env, cmd, dir string, opts compileOptions) (*plan.Plan, int) {
	c, err := compilePaths([]string{dir}, opts)
	if err != nil {
		env.Errorf("intelmq %s: %v", cmd, err)
		return nil, exitUsage
	}
	if len(c.diags) > 0 {
		w := hcl.NewDiagnosticTextWriter(env.Stderr, c.loader.Files(), 0, false)
		_ = w.WriteDiagnostics(c.diags)
	}
	switch {
	case c.ioErr:
		return nil, exitUsage
	case c.plan == nil:
		env.Errorf("intelmq %s: the configuration in %s has errors; nothing was run.", cmd, dir)
		return nil, exitFindings
	}
	return c.plan, exitOK
}

// pipelineRun is one "intelmq run": its broker, logs and supervisor.
type pipelineRun struct {
	env      *Env
	dir      string
	compile  compileOptions // how dir is compiled, again on reload
	state    stateDir
	url      string
	redisURL string
	level    slog.Level
	clock    clock.System
	broker   queue.Broker
	sink     runner.StatsSink
	closers  []func()

	mu   sync.Mutex
	logs map[string]*os.File
}

// open creates the state directories and opens the broker and sinks.
func (r *pipelineRun) open(qo queue.Options) error {
	for _, d := range []string{r.state.logDir(), r.state.runDir(), r.state.botsDir()} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return err
		}
	}
	b, err := openBroker(r.url, r.state, qo)
	if err != nil {
		return err
	}
	r.broker = b
	r.closers = append(r.closers, func() { b.Close() })
	sinks := runner.MultiSink{r.state.stats()}
	if isRedisURL(r.url) {
		r.redisURL = r.url
		rs, closeRS, err := redisStats(r.url)
		if err != nil {
			return err
		}
		sinks = append(sinks, rs)
		r.closers = append(r.closers, closeRS)
	}
	r.sink = sinks
	r.logs = map[string]*os.File{}
	if isEmbedded(r.url) {
		r.serveQueues()
	}
	return os.WriteFile(r.state.brokerFile(), []byte(r.url+"\n"), 0o600)
}

// serveQueues serves the embedded queue on the state directory's socket,
// for the management commands of other processes (sockq). Without it they
// cannot reach the queue while the run holds it, which is only logged.
func (r *pipelineRun) serveQueues() {
	ln, err := sockq.Listen(r.state.socket())
	if err != nil {
		r.logger(runner.SupervisorID).Warn(fmt.Sprintf("Management commands cannot reach the queues while this run holds them: %v.", err))
		return
	}
	done := make(chan struct{})
	go func() { sockq.Serve(ln, r.broker); close(done) }()
	r.closers = append(r.closers, func() { ln.Close(); <-done })
}

func (r *pipelineRun) close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.logs {
		f.Close()
	}
}

// logger returns the logger of a bot, writing to "<state>/log/<id>.log";
// the supervisor's lines also go to standard error.
func (r *pipelineRun) logger(id string) *slog.Logger {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.logs[id]
	if !ok {
		var err error
		f, err = os.OpenFile(r.state.logFile(id), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		if err != nil {
			r.env.Errorf("intelmq run: cannot open the log of %s, logging to standard error: %v", id, err)
			return botlog.New(botlog.SyncWriter(r.env.Stderr), id, r.level, r.clock)
		}
		r.logs[id] = f
	}
	var w io.Writer = f
	if id == runner.SupervisorID {
		w = io.MultiWriter(f, r.env.Stderr)
	}
	return botlog.New(botlog.SyncWriter(w), id, r.level, r.clock)
}

func (r *pipelineRun) options(only []string, once bool) runner.Options {
	reg, _ := botRegistry()
	return runner.Options{
		Broker: r.broker, Registry: reg, Schema: harmonization.Default(), Clock: r.clock,
		Logger: r.logger, Dumps: r.state.dumps(), Sink: r.sink, StateDir: r.state.botsDir(),
		BrokerURL: r.url, RedisURL: r.redisURL, Defaults: runner.DefaultBotOptions(),
		Only: only, Once: once, PID: os.Getpid(),
		Recompile: func(context.Context) (*plan.Plan, error) {
			c, err := compilePaths([]string{r.dir}, r.compile)
			if err != nil {
				return nil, err
			}
			if c.plan == nil {
				return nil, fmt.Errorf("the configuration has errors: %s", firstError(c.diags))
			}
			return c.plan, nil
		},
	}
}

func firstError(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			if d.Subject != nil {
				return fmt.Sprintf("%s: %s; %s", d.Subject, d.Summary, d.Detail)
			}
			return d.Summary + "; " + d.Detail
		}
	}
	return "unknown error"
}

// run supervises the plan until a signal, or the end of --once, and
// prints the summary.
func (r *pipelineRun) run(p *plan.Plan, only []string, once, progress bool) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan struct{}, 1)
	sighup := make(chan os.Signal, 1)
	signal.Notify(sighup, syscall.SIGHUP)
	defer signal.Stop(sighup)
	go func() {
		for range sighup {
			select {
			case hup <- struct{}{}:
			default:
			}
		}
	}()
	gcCtx, stopGC := context.WithCancel(context.Background())
	defer stopGC()
	tuneGC(gcCtx)
	sup := runner.NewSupervisor(r.options(only, once))
	start := time.Now()
	var wg sync.WaitGroup
	progressDone := make(chan struct{})
	if progress {
		wg.Add(1)
		go func() { defer wg.Done(); r.showProgress(ctx, p, sup, progressDone) }()
	}
	err := sup.Run(ctx, p, hup)
	close(progressDone)
	wg.Wait()
	r.summary(p, sup.Snapshots(), time.Since(start))
	if err != nil {
		r.env.Errorf("intelmq run: %v", err)
		return exitFindings
	}
	return exitOK
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// relPath returns path relative to the working directory when shorter.
func relPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && len(rel) < len(path) {
		return rel
	}
	return path
}
