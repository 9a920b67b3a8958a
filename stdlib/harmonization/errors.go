// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"errors"
	"fmt"
)

// Sentinels for errors.Is. Every error type below matches exactly one.
var (
	ErrInvalidKey   = errors.New("invalid key")
	ErrInvalidValue = errors.New("invalid value")
	ErrKeyExists    = errors.New("key exists")
	ErrKeyNotExists = errors.New("key not exists")
)

// InvalidKeyError reports a key that the schema does not allow, as IntelMQ's
// InvalidKey does.
type InvalidKeyError struct {
	Key    string
	Reason string // IntelMQ's text, e.g. "This key is not allowed by the harmonization configuration"
}

// Error names the key and the reason.
func (e *InvalidKeyError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("invalid key %q", e.Key)
	}
	return fmt.Sprintf("invalid key %q: %s", e.Key, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidKey) true.
func (e *InvalidKeyError) Is(target error) bool { return target == ErrInvalidKey }

// InvalidValueError reports a value that the field's type or constraints
// reject, as IntelMQ's InvalidValue does.
type InvalidValueError struct {
	Key    string
	Value  Value
	Reason string // IntelMQ's text, e.g. "is_valid returned False.", "too long: 120 > 100.", "regex did not match."
}

// Error names the value, its kind, the key and the reason.
func (e *InvalidValueError) Error() string {
	s := fmt.Sprintf("invalid value %q (%s) for key %q", e.Value.String(), e.Value.Kind(), e.Key)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Is makes errors.Is(err, ErrInvalidValue) true.
func (e *InvalidValueError) Is(target error) bool { return target == ErrInvalidValue }

// KeyExistsError reports an Add to a key that is already set, without
// overwrite.
type KeyExistsError struct{ Key string }

// Error names the key.
func (e *KeyExistsError) Error() string { return fmt.Sprintf("key %q already exists", e.Key) }

// Is makes errors.Is(err, ErrKeyExists) true.
func (e *KeyExistsError) Is(target error) bool { return target == ErrKeyExists }

// KeyNotExistsError reports a Change of a key that is not set.
type KeyNotExistsError struct{ Key string }

// Error names the key.
func (e *KeyNotExistsError) Error() string { return fmt.Sprintf("key %q does not exist", e.Key) }

// Is makes errors.Is(err, ErrKeyNotExists) true.
func (e *KeyNotExistsError) Is(target error) bool { return target == ErrKeyNotExists }
