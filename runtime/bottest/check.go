// SPDX-License-Identifier: AGPL-3.0-or-later

package bottest

import (
	"errors"
	"strings"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// check verifies the harness's invariants on a finished run.
func (h *harness) check(res *Result) {
	h.t.Helper()
	src := BotID + "-queue"
	if h.c.Kind != botapi.KindCollector {
		if n := h.len(src); n != 0 {
			h.t.Errorf("bottest: %d input message(s) were not consumed", n)
		}
		// A bot stopped by a fatal error leaves its message unacknowledged
		// on purpose, for the next start (botapi.Fatal).
		if n := h.len(queue.InternalName(src)); n != 0 && !errors.Is(res.Err, botapi.ErrFatal) {
			h.t.Errorf("bottest: %d input message(s) were not acknowledged", n)
		}
	}
	for path, msgs := range res.Output {
		for i, m := range msgs {
			if m != nil {
				h.checkOutput(path, i, m)
			}
		}
	}
	h.checkLog(res)
}

// checkOutput checks one output message's type and required fields. An
// error report of a parser ("_on_error") is a Report.
func (h *harness) checkOutput(path string, i int, m *message.Message) {
	h.t.Helper()
	want := harmonization.Event
	var required []string
	switch {
	case h.c.Kind == botapi.KindCollector:
		want, required = harmonization.Report, []string{"raw", "time.observation"}
	case h.c.Kind == botapi.KindParser && path == botapi.ErrorPath:
		want, required = harmonization.Report, []string{"raw"}
	case h.c.Kind == botapi.KindParser:
		required = []string{"classification.type", "raw"}
	}
	if m.Type() != want {
		h.t.Errorf("bottest: output %d on path %s is a %s; want a %s", i, path, m.Type(), want)
	}
	for _, k := range required {
		if !m.Has(k) {
			h.t.Errorf("bottest: output %d on path %s lacks %s", i, path, k)
		}
	}
}

// checkLog checks the log's format, its first and last lines, and the
// number of ERROR, WARNING and CRITICAL lines.
func (h *harness) checkLog(res *Result) {
	h.t.Helper()
	for _, line := range strings.Split(strings.TrimRight(res.Log, "\n"), "\n") {
		if _, ok := botlog.Parse(line); !ok && !strings.HasPrefix(line, " ") && line != "" {
			// A traceback line of the previous entry is not indented when it
			// is the innermost error of a chain; accept lines following an
			// ERROR entry.
			if !afterError(res.Log, line) {
				h.t.Errorf("bottest: log line is not in IntelMQ's format: %q", line)
			}
		}
	}
	if len(res.Logs) == 0 {
		h.t.Errorf("bottest: the bot logged nothing")
		return
	}
	if first := res.Logs[0]; first.Message != "Bot is starting." {
		h.t.Errorf("bottest: first log line is %q; want \"Bot is starting.\"", first.Message)
	}
	if last := res.Logs[len(res.Logs)-1]; last.Message != "Bot stopped." || last.Level != "INFO" {
		h.t.Errorf("bottest: last log line is %s %q; want INFO \"Bot stopped.\"", last.Level, last.Message)
	}
	var errs, warns int
	for _, e := range res.Logs {
		switch e.Level {
		case "ERROR":
			errs++
		case "WARNING":
			warns++
		case "CRITICAL":
			h.t.Errorf("bottest: CRITICAL log line: %s", e.Message)
		}
		if e.BotID != BotID {
			h.t.Errorf("bottest: log line of bot %q: %s", e.BotID, e.Message)
		}
		if h.c.AllowedErrors == 0 && !botlog.IsSentence(e.Message) {
			h.t.Errorf("bottest: log message is not a sentence ending with '.', ':', '?' or '!': %q", e.Message)
		}
	}
	if errs > h.c.AllowedErrors {
		h.t.Errorf("bottest: %d ERROR log line(s); %d allowed:\n%s", errs, h.c.AllowedErrors, res.Log)
	}
	if warns > h.c.AllowedWarnings {
		h.t.Errorf("bottest: %d WARNING log line(s); %d allowed:\n%s", warns, h.c.AllowedWarnings, res.Log)
	}
}

// afterError reports whether every occurrence of line in log follows an
// ERROR entry or another such line (a traceback).
func afterError(log, line string) bool {
	lines := strings.Split(log, "\n")
	for i, l := range lines {
		if l != line {
			continue
		}
		j := i - 1
		for j >= 0 {
			if e, ok := botlog.Parse(lines[j]); ok {
				if e.Level != "ERROR" && e.Level != "CRITICAL" {
					return false
				}
				break
			}
			j--
		}
		if j < 0 {
			return false
		}
	}
	return true
}
