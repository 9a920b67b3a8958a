// SPDX-License-Identifier: AGPL-3.0-or-later

package queue

import "errors"

// Sentinel errors returned, wrapped, by every implementation.
var (
	// ErrClosed reports a call on a closed broker, consumer or batch of a
	// closed consumer.
	ErrClosed = errors.New("queue: closed")
	// ErrUnsettled reports a Receive while the previous batch is neither
	// acknowledged nor requeued.
	ErrUnsettled = errors.New("queue: previous batch neither acknowledged nor requeued")
	// ErrSettled reports a second Ack or Nack of one batch.
	ErrSettled = errors.New("queue: batch already settled")
	// ErrInUse reports a second consumer of one internal queue.
	ErrInUse = errors.New("queue: internal queue already has a consumer")
	// ErrInvalidName reports a queue name the broker cannot store.
	ErrInvalidName = errors.New("queue: invalid queue name")
	// ErrEmptyMessage reports an attempt to send an empty message.
	ErrEmptyMessage = errors.New("queue: empty message")
	// ErrUnavailable reports that the service behind a broker cannot be
	// reached; the operation may succeed when retried later. Match it with
	// errors.Is; the concrete error is an *UnavailableError.
	ErrUnavailable = errors.New("queue: broker unavailable")
)

// UnavailableError reports that the service behind a broker (Redis) cannot
// be reached. It matches ErrUnavailable with errors.Is.
type UnavailableError struct {
	// Service names the service, such as "Redis".
	Service string
	// Addr is the address tried, without credentials.
	Addr string
	// Err is the underlying error.
	Err error
}

// Error returns "cannot reach <service> at <addr>: <cause>".
func (e *UnavailableError) Error() string {
	return "cannot reach " + e.Service + " at " + e.Addr + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is reports whether target is ErrUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }
