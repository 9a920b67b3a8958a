// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"fmt"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/queue"
)

// ErrorProcedure is what a bot does with a message that failed all its
// retries (IntelMQ's error_procedure).
type ErrorProcedure uint8

// The error procedures.
const (
	// Pass dumps the message, sends it to "_on_error" when routed,
	// acknowledges it and goes on with the next message.
	Pass ErrorProcedure = iota
	// Stop does the same and then stops the bot.
	Stop
)

// String returns "pass" or "stop".
func (p ErrorProcedure) String() string {
	if p == Stop {
		return "stop"
	}
	return "pass"
}

// BotOptions are IntelMQ's common runtime parameters of a bot (§3.5). The
// zero value is not IntelMQ's default; start from DefaultBotOptions.
type BotOptions struct {
	// ErrorProcedure is error_procedure.
	ErrorProcedure ErrorProcedure
	// ErrorMaxRetries is error_max_retries: a message is tried
	// ErrorMaxRetries+1 times.
	ErrorMaxRetries int
	// ErrorRetryDelay is error_retry_delay, the wait before a retry and
	// after a broker error.
	ErrorRetryDelay time.Duration
	// ErrorDumpMessage is error_dump_message. Malformed messages are dumped
	// regardless, since they are removed from the queue.
	ErrorDumpMessage bool
	// ErrorLogMessage is error_log_message: log a failed message at INFO.
	ErrorLogMessage bool
	// ErrorLogException is error_log_exception: log the error chain of a
	// failure (else only its text).
	ErrorLogException bool
	// RateLimit is rate_limit: the wait after each processed message (for a
	// collector: between two collections).
	RateLimit time.Duration
	// LoadBalance is load_balance: send each message to one queue of a
	// path, in turn, instead of to all of them.
	LoadBalance bool
	// BatchSize is how many messages are received, processed and
	// acknowledged together; 1 with a RateLimit.
	BatchSize int
	// LogProcessedCount and LogProcessedInterval are
	// log_processed_messages_count and log_processed_messages_seconds: the
	// "Processed N messages since last logging." line is written when
	// either is reached.
	LogProcessedCount    int
	LogProcessedInterval time.Duration
	// StopTimeout bounds how long a graceful stop waits for the current
	// batch before its context is cancelled.
	StopTimeout time.Duration
}

// GCPercent is the garbage collector's target of a process that runs a
// pipeline ("intelmq run", unless GOGC is set): the heap may grow by four
// times its live size between collections (Go's default is once). A
// pipeline's live heap is small (bounded queues, parser output flushed
// every megabyte) and its garbage large: one message decoded and encoded
// per hop. Measured with make bench and make rss: a fifth less CPU per
// event, and a 100 MB CSV peaks at 1.5 times its size instead of 0.8.
// TuneGC lowers it for a large live heap (GCPercentFor).
const GCPercent = 400

// DefaultBotOptions returns IntelMQ's defaults, with a batch of 2000. Each
// doubling (500, 1000, 2000) halved the commits and fsyncs of the embedded
// queue per message: 1000 cut its processor time per event by a tenth or
// more, 2000 raised the four-bot pipeline's rate on it by a sixth (median
// of five alternating runs, 166k to 195k events/s). The price is at most
// one batch of duplicates per crash and about a megabyte more memory per
// bot.
func DefaultBotOptions() BotOptions {
	return BotOptions{
		ErrorProcedure:       Pass,
		ErrorMaxRetries:      3,
		ErrorRetryDelay:      15 * time.Second,
		ErrorDumpMessage:     true,
		ErrorLogException:    true,
		BatchSize:            2000,
		LogProcessedCount:    500,
		LogProcessedInterval: 900 * time.Second,
		StopTimeout:          30 * time.Second,
	}
}

// The names of the common parameters, as IntelMQ spells them (declared in
// botapi.CommonParams; interval is a collector's own parameter).
const (
	ParamErrorProcedure    = botapi.ParamErrorProcedure
	ParamErrorMaxRetries   = botapi.ParamErrorMaxRetries
	ParamErrorRetryDelay   = botapi.ParamErrorRetryDelay
	ParamErrorDumpMessage  = botapi.ParamErrorDumpMessage
	ParamErrorLogMessage   = botapi.ParamErrorLogMessage
	ParamErrorLogException = botapi.ParamErrorLogException
	ParamRateLimit         = botapi.ParamRateLimit
	ParamInterval          = "interval"
	ParamLoadBalance       = botapi.ParamLoadBalance
	ParamBatchSize         = botapi.ParamBatchSize
)

// WithParams returns o overridden by the common parameters present in p
// (a bot's checked parameters); a collector's "interval" sets RateLimit.
func (o BotOptions) WithParams(p botapi.Params) (BotOptions, error) {
	if p == nil {
		return o, nil
	}
	for _, name := range p.Names() {
		switch name {
		case ParamErrorProcedure:
			switch v := p.String(name); v {
			case "pass":
				o.ErrorProcedure = Pass
			case "stop":
				o.ErrorProcedure = Stop
			default:
				return o, fmt.Errorf("error_procedure is %q; use \"pass\" or \"stop\"", v)
			}
		case ParamErrorMaxRetries:
			o.ErrorMaxRetries = int(p.Int(name))
		case ParamErrorRetryDelay:
			o.ErrorRetryDelay = p.Duration(name)
		case ParamErrorDumpMessage:
			o.ErrorDumpMessage = p.Bool(name)
		case ParamErrorLogMessage:
			o.ErrorLogMessage = p.Bool(name)
		case ParamErrorLogException:
			o.ErrorLogException = p.Bool(name)
		case ParamRateLimit, ParamInterval:
			o.RateLimit = p.Duration(name)
		case ParamLoadBalance:
			o.LoadBalance = p.Bool(name)
		case ParamBatchSize:
			o.BatchSize = int(p.Int(name))
		}
	}
	return o, o.Validate()
}

// Validate reports inconsistent options.
func (o BotOptions) Validate() error {
	switch {
	case o.ErrorMaxRetries < 0:
		return fmt.Errorf("error_max_retries is %d; it must not be negative", o.ErrorMaxRetries)
	case o.ErrorRetryDelay < 0:
		return fmt.Errorf("error_retry_delay is %s; it must not be negative", o.ErrorRetryDelay)
	case o.RateLimit < 0:
		return fmt.Errorf("rate_limit is %s; it must not be negative", o.RateLimit)
	}
	return nil
}

// batch returns the effective batch size.
func (o BotOptions) batch() int {
	if o.RateLimit > 0 || o.BatchSize < 1 {
		return 1
	}
	return o.BatchSize
}

// DefaultMaxQueueLength is the length limit of every queue of intelmq run
// (--max-queue-length), so that a fast parser cannot fill the disk or a
// shared Redis's memory (backpressure). It also bounds memory: the
// embedded queue's file is memory-mapped, and the pages a bot reads count
// in the process's resident memory, so the file should stay small. 10,000
// events of about 500 bytes are 5 MB per queue, five batches of 2000,
// enough for a consumer never to wait on its producer.
const DefaultMaxQueueLength = 10_000

// reportQueueLength bounds the source queue of every parser: a report can
// be many megabytes, and a collector that runs ahead of its parser would
// otherwise pile whole files up in the queue (and, on the embedded queue,
// in the memory-mapped file). With 2, a parser has one report at work and
// one waiting; the collector's next Send waits (backpressure).
const reportQueueLength = 2

// QueueOptions returns the broker options of a run: maxLen for every
// queue, and at most reportQueueLength reports in each parser's source
// queue unless maxLen is 0 (no limits) or smaller.
func QueueOptions(p *plan.Plan, maxLen int) queue.Options {
	qo := queue.Options{MaxLen: maxLen}
	if maxLen <= 0 {
		return qo
	}
	for _, n := range p.Nodes {
		if n.Kind == plan.KindParser {
			if qo.Limits == nil {
				qo.Limits = map[string]int{}
			}
			qo.Limits[n.Queue()] = min(maxLen, reportQueueLength)
		}
	}
	return qo
}
