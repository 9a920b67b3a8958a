// SPDX-License-Identifier: AGPL-3.0-or-later

package bottest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// lineParser is a Go parser bot for the tests: one event per line holding
// an IP address; a line "fail" makes the first attempt at the report fail
// after the events before it were sent.
type lineParser struct {
	attempts *int
}

func (p lineParser) Parse(_ context.Context, report *message.Message, out botapi.Records) error {
	*p.attempts++
	text, err := report.RawText()
	if err != nil {
		return err
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line == "fail" {
			if *p.attempts == 1 {
				return errors.New("the source went away")
			}
			continue
		}
		ev := out.NewEvent()
		if err := ev.AddString("source.ip", line); err != nil {
			out.Bad(line, i+1, err)
			continue
		}
		if err := ev.AddString("classification.type", "scanner"); err != nil {
			return err
		}
		if err := out.Event(ev, line); err != nil {
			return err
		}
	}
	return nil
}

func newLineParser(attempts *int) botapi.Constructor {
	return func(*botapi.Context, botapi.Params) (botapi.Bot, error) { return lineParser{attempts: attempts}, nil }
}

func lineReport(text string) string {
	return `{"__type": "Report", "feed.name": "Lines", "extra.file_name": "a.txt", "time.observation": "2016-01-01T00:00:00+00:00", "raw": "` + b64(text) + `"}`
}

// TestParserBot: a Go parser bot's events are sent with their raw, the
// parser-wide parameters and the report's keys; a bad record is dumped with
// exactly its text and sent to _on_error, as for an HCL parser.
func TestParserBot(t *testing.T) {
	var attempts int
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: newLineParser(&attempts),
		Params: botapi.MapParams{
			botapi.ParamDefaultFields:               map[string]string{"classification.type": "blacklist", "comment": "lines"},
			botapi.ParamCopyCollectorProvidedFields: []string{"extra.file_name"},
		},
		Input:         []any{lineReport("192.0.2.1\nnot-an-ip\n192.0.2.3\n")},
		AllowedErrors: 1,
	})
	res.AssertOutputLen(t, "", 2)
	for i, ip := range []string{"192.0.2.1", "192.0.2.3"} {
		res.AssertMessageEqual(t, i, map[string]any{"__type": "Event", "feed.name": "Lines", "extra.file_name": "a.txt",
			"source.ip": ip, "classification.type": "scanner", "comment": "lines", "raw": b64(ip)}, true, "")
	}
	res.AssertOutputLen(t, botapi.ErrorPath, 1)
	res.AssertMessageEqual(t, 0, map[string]any{"__type": "Report", "feed.name": "Lines", "extra.file_name": "a.txt",
		"raw": b64("not-an-ip")}, true, botapi.ErrorPath)
	if len(res.Dumps) != 1 || !strings.HasPrefix(res.Dumps[0].Traceback[0], "line 2: ") {
		t.Fatalf("dumps %+v; want one naming line 2", res.Dumps)
	}
	res.AssertAnyLoglineEqual(t, "Sent 2 events and found 1 problem(s).", "INFO")
}

// TestParserBotRetryDoesNotDuplicate: a report whose first attempt failed
// after sending events is retried, and the events of the first attempt are
// not sent twice.
func TestParserBotRetryDoesNotDuplicate(t *testing.T) {
	var attempts int
	opts := bottest.TestOptions()
	opts.ErrorMaxRetries = 1
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: newLineParser(&attempts), Options: &opts,
		Input:         []any{lineReport("192.0.2.1\n192.0.2.2\nfail\n192.0.2.4\n")},
		AllowedErrors: 2,
	})
	if attempts != 2 {
		t.Fatalf("%d attempts, want 2", attempts)
	}
	res.AssertOutputLen(t, "", 3)
	for i, ip := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.4"} {
		res.AssertMessageEqual(t, i, map[string]any{"__type": "Event", "feed.name": "Lines", "source.ip": ip,
			"classification.type": "scanner", "raw": b64(ip)}, true, "")
	}
	if len(res.Dumps) != 0 {
		t.Errorf("%d dumps, want none", len(res.Dumps))
	}
}

// TestParserBotWithoutRaw: a report without raw is acknowledged with a
// warning, without calling the bot.
func TestParserBotWithoutRaw(t *testing.T) {
	var attempts int
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: newLineParser(&attempts),
		Input: []any{`{"__type": "Report", "feed.name": "Lines"}`}, AllowedWarnings: 1})
	res.AssertOutputLen(t, "", 0)
	if attempts != 0 {
		t.Errorf("the bot ran %d times on a report without raw", attempts)
	}
	res.AssertLogMatches(t, "Report without raw field received", "WARNING")
}

// TestParserBotBadDefaultField: an invalid default field stops the bot
// before it starts.
func TestParserBotBadDefaultField(t *testing.T) {
	var attempts int
	for _, df := range []map[string]string{{"source.ip": "nope"}, {"no.such.field": "x"}} {
		t.Run(fmt.Sprint(df), func(t *testing.T) {
			ft := &fatalRecorder{TB: t}
			func() {
				defer func() { _ = recover() }()
				bottest.Run(ft, bottest.Case{Kind: botapi.KindParser, New: newLineParser(&attempts),
					Params: botapi.MapParams{botapi.ParamDefaultFields: df}, Input: []any{lineReport("192.0.2.1\n")}})
			}()
			if !strings.Contains(ft.msg, "default_fields") {
				t.Errorf("building the bot: %q, want an error naming default_fields", ft.msg)
			}
		})
	}
}

// fatalRecorder records the message of Fatalf instead of failing.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f)
}

func (f *fatalRecorder) Helper() {}
