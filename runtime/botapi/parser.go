// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import (
	"context"

	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Parser is a parser bot written in Go (IntelMQ's ParserBot), for report
// formats the language does not read: XML, scraped HTML, free text whose
// meaning depends on earlier lines. Everything a CSV, JSON, line or
// key=value parser can say belongs in an HCL parser instead.
//
// Parse reads one report (its raw data is report.RawBytes()) and hands
// what it makes of it to out: out.NewEvent for each event to fill,
// out.Event to send it, out.Bad for a record that gives no event. The
// contract with the runner:
//
//   - nil: the report is done. Its events are delivered, the bad records
//     are dumped (and sent to _on_error when routed), and only then is the
//     report acknowledged.
//   - an error: nothing sent during this call is delivered; the report is
//     retried, then dumped, like a failed message of any other bot (see
//     Processor). A retried report never emits its events twice.
//
// A bad record is not an error of Parse: report it with out.Bad and go
// on. Parse MUST NOT keep report or the events after it returns.
type Parser interface {
	Parse(ctx context.Context, report *message.Message, out Records) error
}

// Records receives what a Parser makes of one report.
type Records interface {
	// NewEvent returns a new event that already holds the keys IntelMQ
	// copies from the report into each event (feed.*, time.observation,
	// rtir_id, and the copy_collector_provided_fields parameter's keys
	// such as extra.file_name): IntelMQ's new_event(report).
	NewEvent() *message.Message
	// Event sends ev on the default path. raw is the exact text of the
	// record ev came from, stored base64-encoded in the event's raw field;
	// an empty raw leaves the field as ev has it. Event then adds the
	// default_fields parameter's fields ev does not have (IntelMQ's
	// overwrite=False). Event encodes ev at once, so the parser may reuse
	// it (raw and default fields stay in it). An error (an invalid raw or
	// default field, a closed queue) should be returned from Parse.
	Event(ev *message.Message, raw string) error
	// Bad reports a record that gave no event: raw is its exact text, line
	// its 1-based line in the report's text (0 when the format has no
	// lines), and err what was wrong with it.
	Bad(raw string, line int, err error)
}
