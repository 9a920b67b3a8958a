// SPDX-License-Identifier: AGPL-3.0-or-later

package dump

import (
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// MessageTypeBase64 is the message_type of an entry whose message is the
// base64 encoding of bytes that were not a valid message (IntelMQ's value).
const MessageTypeBase64 = "base64"

// TimeLayout is the layout of an entry's timestamp, IntelMQ's
// datetime.utcnow().isoformat(): naive UTC with microseconds.
const TimeLayout = "2006-01-02T15:04:05.000000"

// Entry is one dumped message.
type Entry struct {
	// Timestamp is the UTC time of the dump in TimeLayout; in IntelMQ's
	// files it is the key of the entry. It identifies the entry.
	Timestamp string `json:"timestamp"`
	// BotID is the bot that dumped the message.
	BotID string `json:"bot_id"`
	// SourceQueue is the queue the message came from; "intelmq dump
	// resend" re-injects it there by default.
	SourceQueue string `json:"source_queue"`
	// Traceback is the error: its chain of causes, outermost first, as
	// lines (IntelMQ stores Python's traceback lines).
	Traceback []string `json:"traceback"`
	// Message is the message in IntelMQ's wire JSON, or base64 when
	// MessageType is MessageTypeBase64.
	Message string `json:"message"`
	// MessageType is MessageTypeBase64 for raw bytes, empty otherwise.
	MessageType string `json:"message_type,omitempty"`
}

// NewEntry builds an entry for msg that failed with err at time t. A msg
// that is not valid UTF-8 is stored as base64 (IntelMQ's "message_type":
// "base64").
func NewEntry(t time.Time, botID, sourceQueue string, msg []byte, err error) Entry {
	e := Entry{
		Timestamp:   t.UTC().Format(TimeLayout),
		BotID:       botID,
		SourceQueue: sourceQueue,
		Traceback:   Traceback(err),
	}
	if utf8.Valid(msg) {
		e.Message = string(msg)
	} else {
		e.Message = base64.StdEncoding.EncodeToString(msg)
		e.MessageType = MessageTypeBase64
	}
	return e
}

// Bytes returns the dumped message as bytes, decoding base64 when needed.
func (e Entry) Bytes() ([]byte, error) {
	if e.MessageType == MessageTypeBase64 {
		return base64.StdEncoding.DecodeString(e.Message)
	}
	return []byte(e.Message), nil
}

// Error returns the last line of the traceback: the error as logged.
func (e Entry) Error() string {
	for i := len(e.Traceback) - 1; i >= 0; i-- {
		if s := strings.TrimSpace(e.Traceback[i]); s != "" {
			return s
		}
	}
	return ""
}

// Traceback turns an error chain into lines, the equivalent of Python's
// traceback: the error as logged first, then, indented by depth, each
// wrapped cause whose text the error's own text does not already contain
// (a cause hidden by a wrapper with its own message, each error of an
// errors.Join). A chain built with fmt.Errorf's %w is one line, since each
// level's text includes its cause's.
func Traceback(err error) []string {
	var lines []string
	var walk func(err error, depth int, shown string)
	walk = func(err error, depth int, shown string) {
		msg := err.Error()
		if !strings.Contains(shown, msg) {
			lines = append(lines, strings.Repeat("  ", depth)+msg)
			shown, depth = msg, depth+1
		}
		var next []error
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			next = []error{u.Unwrap()}
		case interface{ Unwrap() []error }:
			next = u.Unwrap()
		}
		for _, n := range next {
			if n != nil && !isMark(n) {
				walk(n, depth, shown)
			}
		}
	}
	if err != nil {
		walk(err, 0, "")
	}
	return lines
}

// isMark reports whether err is a classification mark of a markedError
// (such as botapi.ErrPermanent): a sentinel wrapped beside the real cause,
// whose text is not part of the error's message and adds nothing.
func isMark(err error) bool {
	return err == botapi.ErrPermanent || err == botapi.ErrFatal
}
