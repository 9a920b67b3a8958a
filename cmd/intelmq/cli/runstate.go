// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/intelmq-go/intelmq/runtime/dump"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/broker"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/queue/redisq"
	"github.com/intelmq-go/intelmq/runtime/queue/sockq"
	"github.com/intelmq-go/intelmq/runtime/runner"
)

// The state directory of a pipeline ("<dir>/var" unless --state says
// otherwise) holds everything "intelmq run" writes:
//
//	queue/            the embedded queue (when no --broker is given)
//	log/<bot>.log     each bot's log, IntelMQ's format
//	log/<bot>.dump.jsonl  each bot's dumped messages
//	run/<bot>.json    each bot's statistics and state
//	run/broker.url    the broker of the last run, for the other commands
//	run/control.sock  the embedded queue, served while intelmq run holds it
//	bots/<bot>/       each Go bot's own files
type stateDir string

func (s stateDir) logDir() string   { return filepath.Join(string(s), "log") }
func (s stateDir) runDir() string   { return filepath.Join(string(s), "run") }
func (s stateDir) queueDir() string { return filepath.Join(string(s), "queue") }
func (s stateDir) botsDir() string  { return filepath.Join(string(s), "bots") }
func (s stateDir) dumps() dump.Dir  { return dump.Dir(s.logDir()) }
func (s stateDir) stats() runner.StatsDir {
	return runner.StatsDir(s.runDir())
}
func (s stateDir) brokerFile() string { return filepath.Join(s.runDir(), "broker.url") }
func (s stateDir) socket() string     { return filepath.Join(s.runDir(), "control.sock") }
func (s stateDir) logFile(bot string) string {
	return filepath.Join(s.logDir(), bot+".log")
}

// brokerEmbedded names the embedded queue in the state directory, the
// default broker.
const brokerEmbedded = "embedded"

// isEmbedded reports whether url names the embedded queue of the state
// directory ("" too: resolve's default).
func isEmbedded(url string) bool { return url == brokerEmbedded || url == "" }

// stateFlags are the flags every runtime command shares.
type stateFlags struct {
	state  string
	broker string
	// compile holds --no-library: every command must compile the
	// configuration alike to agree on its bots and queues.
	compile compileOptions
}

func addStateFlags(fs *flag.FlagSet) *stateFlags {
	sf := &stateFlags{}
	fs.StringVar(&sf.state, "state", "", "the state directory (default <dir>/var)")
	addLibraryFlag(fs, &sf.compile)
	fs.StringVar(&sf.broker, "broker", "", "the queue broker: embedded (default, <state>/queue), a directory, file://DIR, memory://, redis://host:port/db, rediss://… or unix:///path?db=N")
	return sf
}

// dir returns the configuration directory argument, "." by default.
func configDir(fs *flag.FlagSet) string {
	if fs.NArg() > 0 {
		return fs.Arg(0)
	}
	return "."
}

// resolve returns the state directory and the broker URL: the flag, else
// the broker of the last run recorded in the state directory, else the
// embedded queue.
func (sf *stateFlags) resolve(dir string) (stateDir, string) {
	st := stateDir(sf.state)
	if st == "" {
		st = stateDir(filepath.Join(dir, "var"))
	}
	if sf.broker != "" {
		return st, sf.broker
	}
	if b, err := os.ReadFile(st.brokerFile()); err == nil {
		if u := strings.TrimSpace(string(b)); u != "" {
			return st, u
		}
	}
	return st, brokerEmbedded
}

// openBroker opens the broker a URL names: "embedded" is the embedded
// queue in the state directory; other forms are broker.Open's (memory://,
// a directory, file://DIR, redis://, rediss://, unix://).
func openBroker(url string, st stateDir, opts queue.Options) (queue.Broker, error) {
	if isEmbedded(url) {
		return diskq.Open(st.queueDir(), opts)
	}
	return broker.Open(url, opts)
}

// openManagedBroker is openBroker for the management commands: the
// embedded queue of a pipeline that "intelmq run" holds is reached through
// the run's socket (sockq), which sends, counts and clears, but leaves
// taking messages to the run.
func openManagedBroker(url string, st stateDir, opts queue.Options) (queue.Broker, error) {
	if isEmbedded(url) {
		if c, err := sockq.Dial(st.socket()); err == nil {
			return c, nil
		}
	}
	return openBroker(url, st, opts)
}

// isRedisURL reports whether url names a Redis broker.
func isRedisURL(url string) bool {
	k, _, err := broker.Parse(url)
	return err == nil && k == broker.Redis
}

// redisStats returns a statistics sink on IntelMQ's statistics database of
// the broker's Redis, and a function closing it.
func redisStats(url string) (runner.StatsSink, func(), error) {
	opts, _, err := redisq.ParseURL(url)
	if err != nil {
		return nil, nil, err
	}
	opts.DB = runner.RedisStatsDB
	c := redis.NewClient(opts)
	return runner.RedisStats{Client: c}, func() { c.Close() }, nil
}

// readStats returns the statistics the bots of the last run wrote; no
// statistics yet is not an error.
func readStats(st stateDir) (map[string]runner.Snapshot, error) {
	snaps, err := st.stats().ReadStats()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	out := map[string]runner.Snapshot{}
	for _, s := range snaps {
		out[s.BotID] = s
	}
	return out, nil
}

// stringsFlag is a repeatable string flag.
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ",") }

func (s *stringsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}
