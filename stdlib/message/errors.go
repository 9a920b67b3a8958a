// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"errors"
	"fmt"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// InvalidKeyError is IntelMQ's InvalidKey: a key the harmonization does not
// allow for the message type.
type InvalidKeyError = harmonization.InvalidKeyError

// InvalidValueError is IntelMQ's InvalidValue: a value that the field's type,
// length or regex rejects, even after sanitizing.
type InvalidValueError = harmonization.InvalidValueError

// KeyExistsError is IntelMQ's KeyExists: Add without overwrite on a key that
// is already set.
type KeyExistsError = harmonization.KeyExistsError

// KeyNotExistsError is IntelMQ's KeyNotExists: Change of a key that is not
// set, or RawBytes of a message without "raw".
type KeyNotExistsError = harmonization.KeyNotExistsError

// ErrDecode matches every *DecodeError with errors.Is.
var ErrDecode = errors.New("invalid message data")

// DecodeError reports wire data that is not an IntelMQ message at all:
// invalid UTF-8, invalid JSON, a top-level value that is not an object, or a
// missing or unknown "__type". Field-level problems are reported with
// InvalidKeyError and InvalidValueError instead.
type DecodeError struct {
	Offset int    // byte offset in the data where the problem was found
	Reason string // what is wrong, e.g. `expected ':' after object key`
}

// Error returns the offset and the reason.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("invalid message data at byte %d: %s", e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrDecode) true.
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }
