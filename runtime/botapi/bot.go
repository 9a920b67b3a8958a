// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import (
	"context"
	"errors"

	"github.com/intelmq-go/intelmq/stdlib/message"
)

// The paths every bot knows. A bot sends to DefaultPath unless it names
// another path; ErrorPath receives the messages that failed after all
// retries (and a parser's bad records) when the plan routes it.
const (
	// DefaultPath is the path a message goes to when the bot names none.
	DefaultPath = "_default"
	// ErrorPath is IntelMQ's "_on_error" path.
	ErrorPath = "_on_error"
)

// Bot is a constructed Go bot. A Bot MUST implement exactly one of
// Collector or Processor; it MAY implement Validator, Starter, Preparer,
// Flusher and Closer, which the runner finds by type assertion.
//
// The lifecycle, driven by the runner, is:
//
//  1. the Constructor of the bot's registration builds the value from its
//     checked parameters; it MUST NOT have side effects (no connection,
//     no goroutine, no file opened);
//  2. Validate (if the bot is a Validator) checks the parameters together;
//     an error stops the bot before it starts. The compiler also builds
//     every bot and runs Validate, so that "intelmq validate" reports what
//     it refuses (a *ParamError at the parameter's value): Validate, like
//     the Constructor, MUST NOT touch files, the network or the clock;
//  3. Start (if the bot is a Starter) connects to what the bot needs;
//  4. Collect or Process is called, from one goroutine at a time (for a
//     Preparer, Prepare first with the messages of each batch, then Flush
//     for a Flusher before the batch is acknowledged);
//  5. Close (if the bot is a Closer) is called once when the bot stops,
//     including after a failed Validate or Start, so it MUST cope with a
//     partial start.
type Bot any

// Collector is a bot that brings data into the pipeline (IntelMQ's
// CollectorBot). It has no source queue.
//
// Collect fetches once and hands each Report to out.Emit. The runner calls
// Collect again after the feed's interval (IntelMQ's rate_limit) until the
// bot stops; with "intelmq run --once" it calls it exactly once. A Report
// emitted is durable once Emit returns nil. Collect MUST return promptly
// with ctx.Err() when ctx is cancelled. An error returned is retried with
// the bot's error_retry_delay and error_max_retries, like a failed message
// of any other bot; reports already emitted are not withdrawn.
type Collector interface {
	Collect(ctx context.Context, out Emitter) error
}

// Processor is an expert or an output (IntelMQ's ExpertBot and OutputBot).
//
// Process is called once per message of the bot's source queue. It reads
// msg, may change it, and sends zero or more messages with out.Send. The
// contract with the runner:
//
//   - nil: the message is done. Everything sent during this call is
//     delivered and only then is the input acknowledged (at-least-once).
//     Sending nothing filters the message out.
//   - an error: nothing sent during this call is delivered (unlike IntelMQ,
//     a retry never duplicates output). The runner retries with a fresh
//     copy of the input after error_retry_delay, up to error_max_retries
//     times, then dumps the message, sends it to ErrorPath when routed and
//     acknowledges it (error_procedure "pass"), or stops the bot ("stop").
//   - an error wrapping ErrPermanent (see Permanent) or an invalid-value
//     error of the harmonization package is not retried: the message is
//     dumped at once.
//   - an error wrapping ErrFatal (see Fatal) stops the bot at once without
//     acknowledging the message, e.g. for a configuration that cannot work.
//
// msg belongs to the runner, which reuses it for the next message: the
// bot MUST NOT keep msg (or values read from it by reference) after
// Process returns; Clone it to keep it. An output writes in Process and
// sends nothing. Process MUST return
// promptly when ctx is cancelled; the runner then finishes the batch it
// holds and acknowledges what was done.
type Processor interface {
	Process(ctx context.Context, msg *message.Message, out Sender) error
}

// Validator is an optional interface: Validate checks the bot's parameters
// together after construction, before Start. An error stops the bot before
// it starts and is reported as a configuration error; "intelmq validate"
// reports it too, at the parameter's value for a *ParamError. Validate
// looks at the parameters only, never at files or the network.
type Validator interface {
	Validate() error
}

// Starter is an optional interface: Start connects to what the bot needs
// (a cache, a database, a socket). It is called once before the first
// Collect or Process. An error is retried with error_retry_delay.
type Starter interface {
	Start(ctx context.Context) error
}

// Closer is an optional interface: Close releases what Start acquired
// (IntelMQ's shutdown()). It is called once when the bot stops, also after
// a failed Validate or Start.
type Closer interface {
	Close() error
}

// Flusher is an optional interface for bots that buffer output (a file
// output, a batch writer): Flush is called before the runner acknowledges
// a batch of input messages, so what was written is durable before its
// input is removed. An error fails the whole batch, which is retried.
type Flusher interface {
	Flush(ctx context.Context) error
}

// Preparer is an optional interface for a Processor that looks something
// up for each message (a cache, a database): the runner calls Prepare with
// the decoded messages of a batch, in order, before it calls Process on
// each of them, so the bot can look them all up in one round trip instead
// of one per message. Prepare MUST NOT send or change the messages. It is
// a hint: Process MUST give the right result whether or not Prepare ran
// for its message (a retried message is decoded again and not prepared),
// and an error of Prepare is logged as a warning, then the batch is
// processed without it. The messages are valid only until the batch ends.
type Preparer interface {
	Prepare(ctx context.Context, msgs []*message.Message) error
}

// Sender receives the messages a Processor sends while processing one
// input message.
type Sender interface {
	// Send queues msg for every destination queue of path (or, with
	// load_balance, one of them in turn). Send encodes msg at once, so the
	// bot may change or reuse msg afterwards. It returns an error wrapping
	// ErrUnknownPath when the plan routes nothing on path (except for
	// ErrorPath, which is silently dropped when not routed). Messages are
	// delivered only when Process returns nil.
	Send(path string, msg *message.Message) error
	// Routed reports whether path leads somewhere, so a bot with optional
	// paths can skip building a message nobody receives.
	Routed(path string) bool
}

// Emitter receives the Reports a Collector produces.
type Emitter interface {
	// Emit sends report to the collector's destinations. It encodes report
	// at once (the collector may reuse it) and returns once the report is
	// stored in the destination queues, blocking while they are full
	// (backpressure). It returns ctx.Err() when ctx is cancelled.
	Emit(ctx context.Context, report *message.Message) error
}

// Sentinel errors of the bot API.
var (
	// ErrPermanent marks an error that retrying cannot fix: the message is
	// dumped without retries (IntelMQ's InvalidValue handling).
	ErrPermanent = errors.New("permanent error")
	// ErrFatal marks an error that stops the bot (IntelMQ's
	// ConfigurationError): the message stays unacknowledged.
	ErrFatal = errors.New("fatal error")
	// ErrUnknownPath is returned by Send for a path the plan does not route.
	ErrUnknownPath = errors.New("unknown path")
)

// markedError wraps an error with one of the sentinel marks.
type markedError struct {
	mark error
	err  error
}

func (e *markedError) Error() string { return e.err.Error() }

// Unwrap returns both the wrapped error and the mark, so errors.Is finds
// either.
func (e *markedError) Unwrap() []error { return []error{e.err, e.mark} }

// Permanent marks err as permanent: the runner dumps the message without
// retrying it. It returns nil for a nil err.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &markedError{mark: ErrPermanent, err: err}
}

// Fatal marks err as fatal: the runner stops the bot without acknowledging
// the message. It returns nil for a nil err.
func Fatal(err error) error {
	if err == nil {
		return nil
	}
	return &markedError{mark: ErrFatal, err: err}
}

// Check builds a bot with ctor and runs its Validate, then closes it
// without starting it: what "intelmq validate" does with every Go bot. It
// returns what the constructor or Validate refused, nil when both
// accepted. Constructor and Validate have no side effects, so Check has
// none either.
func Check(ctor Constructor, bc *Context, p Params) error {
	b, err := ctor(bc, p)
	if err != nil {
		return err
	}
	if c, ok := b.(Closer); ok {
		defer c.Close()
	}
	if v, ok := b.(Validator); ok {
		return v.Validate()
	}
	return nil
}
