// SPDX-License-Identifier: AGPL-3.0-or-later

package bottest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Messages returns the messages sent on path ("" means "_default").
func (r *Result) Messages(path string) []*message.Message {
	if path == "" {
		path = botapi.DefaultPath
	}
	return r.Output[path]
}

// Raws returns the decoded raw of each message sent on path ("" means
// "_default"), in order; a message whose raw does not decode fails t.
func (r *Result) Raws(t testing.TB, path string) []string {
	t.Helper()
	var out []string
	for _, m := range r.Messages(path) {
		s, err := m.RawText()
		if err != nil {
			t.Fatalf("message %d on path %s: %v", len(out), pathName(path), err)
		}
		out = append(out, s)
	}
	return out
}

// AssertOutputLen checks that n messages were sent on path ("" means
// "_default").
func (r *Result) AssertOutputLen(t testing.TB, path string, n int) {
	t.Helper()
	if got := len(r.Messages(path)); got != n {
		t.Errorf("path %s has %d output message(s); want %d", pathName(path), got, n)
	}
}

// AssertMessageEqual checks that the message at position pos of path (""
// means "_default") equals expected, ignoring time.observation as
// IntelMQ's assertMessageEqual does; with compareRaw false raw is ignored
// too. expected is a *message.Message, a JSON string (IntelMQ wire or
// output form, with or without "__type") or a map[string]any of flat keys.
// The "output" field is compared as parsed JSON.
func (r *Result) AssertMessageEqual(t testing.TB, pos int, expected any, compareRaw bool, path string) {
	t.Helper()
	msgs := r.Messages(path)
	if pos < 0 || pos >= len(msgs) {
		t.Errorf("path %s has no output message %d (it has %d)", pathName(path), pos, len(msgs))
		return
	}
	if msgs[pos] == nil {
		t.Errorf("output message %d of path %s is not a valid message", pos, pathName(path))
		return
	}
	got, err := flat(msgs[pos])
	if err != nil {
		t.Fatalf("output message %d of path %s: %v", pos, pathName(path), err)
	}
	want, err := r.expected(expected, msgs[pos].Type())
	if err != nil {
		t.Fatalf("expected message: %v", err)
	}
	for _, m := range []map[string]any{got, want} {
		delete(m, "time.observation")
		delete(m, "__type")
		if !compareRaw {
			delete(m, "raw")
		}
		if s, ok := m["output"].(string); ok {
			var v any
			if json.Unmarshal([]byte(s), &v) == nil {
				m["output"] = v
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output message %d of path %s differs (-want +got):\n%s", pos, pathName(path), diff)
	}
}

// expected turns an expected message in any accepted form into flat JSON
// values, checked by the schema like a message read from a queue.
func (r *Result) expected(x any, typ harmonization.MessageType) (map[string]any, error) {
	switch v := x.(type) {
	case *message.Message:
		return flat(v)
	case string:
		m, err := message.DecodeDefault(r.schema, []byte(v), typ)
		if err != nil {
			return nil, err
		}
		return flat(m)
	case map[string]any:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return r.expected(string(b), typ)
	}
	return nil, fmt.Errorf("expected message is a %T; use *message.Message, a JSON string or map[string]any", x)
}

// flat returns a message's fields as JSON values by flat key.
func flat(m *message.Message) (map[string]any, error) {
	var out map[string]any
	if err := json.Unmarshal(m.AppendWire(nil), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// AssertLogMatches checks that some log entry at level ("" for any)
// matches the regular expression pattern (IntelMQ's assertLogMatches).
func (r *Result) AssertLogMatches(t testing.TB, pattern, level string) {
	t.Helper()
	if !r.logMatches(t, pattern, level) {
		t.Errorf("no %s log line matches %q:\n%s", levelName(level), pattern, r.Log)
	}
}

// AssertNotLogMatches checks that no log entry at level ("" for any)
// matches pattern.
func (r *Result) AssertNotLogMatches(t testing.TB, pattern, level string) {
	t.Helper()
	if r.logMatches(t, pattern, level) {
		t.Errorf("a %s log line matches %q:\n%s", levelName(level), pattern, r.Log)
	}
}

// AssertAnyLoglineEqual checks that some log entry at level ("" for any)
// has exactly message msg.
func (r *Result) AssertAnyLoglineEqual(t testing.TB, msg, level string) {
	t.Helper()
	for _, e := range r.Logs {
		if e.Message == msg && (level == "" || e.Level == level) {
			return
		}
	}
	t.Errorf("no %s log line is %q:\n%s", levelName(level), msg, r.Log)
}

func (r *Result) logMatches(t testing.TB, pattern, level string) bool {
	t.Helper()
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatalf("bad pattern: %v", err)
	}
	for _, e := range r.Logs {
		if (level == "" || e.Level == level) && (re.MatchString(e.Message) || re.MatchString(e.Extended)) {
			return true
		}
	}
	return false
}

func pathName(p string) string {
	if p == "" {
		return botapi.DefaultPath
	}
	return p
}

func levelName(l string) string {
	if l == "" {
		return "any"
	}
	return l
}
