// SPDX-License-Identifier: AGPL-3.0-or-later

package botlog

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

func TestHandlerFormat(t *testing.T) {
	var buf bytes.Buffer
	clk := fixedClock(time.Date(2024, 1, 1, 12, 0, 0, 123_456_789, time.UTC))
	l := New(&buf, "file-collector", slog.LevelDebug, clk)
	l.Info("Bot is starting.")
	l.Debug("Reading 3 files.")
	l.Warn("Report without raw field received.")
	l.Error("Bot has found a problem.", slog.String(TracebackKey, "lookup: boom\n  boom"))
	l.Log(nil, LevelCritical, "Out of disk space.")
	l.With("path", "/tmp/x y").Info("Read a file.")
	want := `2024-01-01 12:00:00,123 - file-collector - INFO - Bot is starting.
2024-01-01 12:00:00,123 - file-collector - DEBUG - Reading 3 files.
2024-01-01 12:00:00,123 - file-collector - WARNING - Report without raw field received.
2024-01-01 12:00:00,123 - file-collector - ERROR - Bot has found a problem.
lookup: boom
  boom
2024-01-01 12:00:00,123 - file-collector - CRITICAL - Out of disk space.
2024-01-01 12:00:00,123 - file-collector - INFO - Read a file. path="/tmp/x y"
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestLevelFilter(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, "b", slog.LevelWarn, nil)
	l.Info("Hidden.")
	l.Warn("Shown.")
	if got := buf.String(); strings.Contains(got, "Hidden.") || !strings.Contains(got, " - b - WARNING - Shown.") {
		t.Errorf("log %q", got)
	}
}

func TestReadGroupsTracebacks(t *testing.T) {
	log := `2024-01-01 12:00:00,001 - p - INFO - Bot is starting.
2024-01-01 12:00:00,002 - p - ERROR - Failed to parse line.
line 3: bad
  bad
2024-01-01 12:00:00,003 - p.2 - DEBUG - Thread line.
2024-01-01 12:00:00,004 - p - INFO - Bot stopped.
`
	got, err := Read(strings.NewReader(log), slog.LevelInfo, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Date: "2024-01-01 12:00:00,001", BotID: "p", Level: "INFO", Message: "Bot is starting."},
		{Date: "2024-01-01 12:00:00,002", BotID: "p", Level: "ERROR", Message: "Failed to parse line.", Extended: "line 3: bad\n  bad"},
		{Date: "2024-01-01 12:00:00,004", BotID: "p", Level: "INFO", Message: "Bot stopped."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	last, _ := Read(strings.NewReader(log), slog.LevelDebug, 2)
	if len(last) != 2 || last[0].ThreadID != "2" {
		t.Errorf("last 2 entries %+v", last)
	}
}

func TestParseLevelAndSentence(t *testing.T) {
	for _, s := range []string{"debug", "INFO", "Warning", "WARN", "error", "CRITICAL"} {
		if _, err := ParseLevel(s); err != nil {
			t.Errorf("ParseLevel(%q): %v", s, err)
		}
	}
	if _, err := ParseLevel("LOUD"); err == nil {
		t.Error("ParseLevel accepted LOUD")
	}
	for msg, want := range map[string]bool{"Done.": true, "Why?": true, "Note:": true, "no period": false, "": false} {
		if IsSentence(msg) != want {
			t.Errorf("IsSentence(%q) = %v", msg, !want)
		}
	}
}

func TestParseBotIDs(t *testing.T) {
	for _, tc := range []struct{ line, bot, thread string }{
		{"2024-01-02 03:04:05,678 - sample_csv-parser - INFO - Bot is starting.", "sample_csv-parser", ""},
		{"2024-01-02 03:04:05,678 - feodo-tracker-browse.3 - ERROR - Failed.", "feodo-tracker-browse", "3"},
		{"2024-01-02 03:04:05,678 - shadowserver_v2.parser_1 - DEBUG - Hi.", "shadowserver_v2.parser_1", ""},
		{"2024-01-02 03:04:05,678 - a_b.12 - WARNING - Hi.", "a_b", "12"},
	} {
		e, ok := Parse(tc.line)
		if !ok || e.BotID != tc.bot || e.ThreadID != tc.thread {
			t.Errorf("Parse(%q) = %+v, %v; want bot %q thread %q", tc.line, e, ok, tc.bot, tc.thread)
		}
	}
}
