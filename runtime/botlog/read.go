// SPDX-License-Identifier: AGPL-3.0-or-later

package botlog

import (
	"bufio"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"time"
)

// Entry is one parsed log line, with the lines that followed it (a
// traceback) as Extended. Its JSON form is the one of "intelmqctl log".
type Entry struct {
	Date     string `json:"date"`
	BotID    string `json:"bot_id"`
	ThreadID string `json:"thread_id,omitempty"`
	Level    string `json:"log_level"`
	Message  string `json:"message"`
	Extended string `json:"extended_message,omitempty"`
}

// lineRE is IntelMQ's log line: asctime, bot id (with an optional .N
// thread suffix), level and message.
var lineRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) - ([-\w.]+?)(?:\.(\d+))? - (DEBUG|INFO|WARNING|ERROR|CRITICAL) - (.*)$`)

// Parse parses one line in IntelMQ's format; ok is false when the line is
// not one (a traceback line, for instance).
func Parse(line string) (e Entry, ok bool) {
	m := lineRE.FindStringSubmatch(strings.TrimRight(line, "\r\n"))
	if m == nil {
		return Entry{}, false
	}
	return Entry{Date: m[1], BotID: m[2], ThreadID: m[3], Level: m[4], Message: m[5]}, true
}

// Time parses the entry's date in loc.
func (e Entry) Time(loc *time.Location) (time.Time, error) {
	return time.ParseInLocation(TimeLayout, e.Date, loc)
}

// Read parses a whole log: lines that do not start an entry are attached
// to the previous entry's Extended text (and dropped before the first
// entry). Only entries at or above min are kept; with last > 0 only the
// last ones are returned.
func Read(r io.Reader, min slog.Level, last int) ([]Entry, error) {
	var out []Entry
	keep := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		e, ok := Parse(sc.Text())
		if !ok {
			if keep {
				p := &out[len(out)-1]
				if p.Extended != "" {
					p.Extended += "\n"
				}
				p.Extended += sc.Text()
			}
			continue
		}
		lvl, _ := ParseLevel(e.Level)
		keep = lvl >= min
		if keep {
			out = append(out, e)
		}
	}
	if last > 0 && len(out) > last {
		out = out[len(out)-last:]
	}
	return out, sc.Err()
}

// IsSentence reports whether msg follows IntelMQ's convention for log
// messages: it ends with '.', ':', '?' or '!'.
func IsSentence(msg string) bool {
	msg = strings.TrimSpace(msg)
	return msg != "" && strings.ContainsRune(".:?!", rune(msg[len(msg)-1]))
}
