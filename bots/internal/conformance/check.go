// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Recorder is a botapi.Sender and botapi.Emitter that keeps, per path, the
// wire form of every message sent, in order; emitted reports go to the
// default path.
type Recorder struct {
	// Paths are the routed paths; nil routes every path.
	Paths []string
	// Sent holds the messages sent on each path.
	Sent map[string][][]byte
}

var (
	_ botapi.Sender  = (*Recorder)(nil)
	_ botapi.Emitter = (*Recorder)(nil)
)

// NewRecorder returns a Recorder routing the given paths (none: all).
func NewRecorder(paths ...string) *Recorder {
	return &Recorder{Paths: paths, Sent: map[string][][]byte{}}
}

// Send records msg on path.
func (r *Recorder) Send(path string, msg *message.Message) error {
	if !r.Routed(path) {
		if path == botapi.ErrorPath {
			return nil
		}
		return fmt.Errorf("%w: %q", botapi.ErrUnknownPath, path)
	}
	r.Sent[path] = append(r.Sent[path], msg.AppendWire(nil))
	return nil
}

// Emit records a collector's report on the default path.
func (r *Recorder) Emit(ctx context.Context, report *message.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.Send(botapi.DefaultPath, report)
}

// Messages decodes the messages sent on path, failing t on an error.
func (r *Recorder) Messages(t testing.TB, path string) []*message.Message {
	t.Helper()
	out := make([]*message.Message, 0, len(r.Sent[path]))
	for _, data := range r.Sent[path] {
		m, err := message.Decode(harmonization.Default(), data)
		if err != nil {
			t.Fatalf("path %s: %v", path, err)
		}
		out = append(out, m)
	}
	return out
}

// Routed reports whether path is one of r.Paths.
func (r *Recorder) Routed(path string) bool {
	if r.Paths == nil {
		return true
	}
	for _, p := range r.Paths {
		if p == path {
			return true
		}
	}
	return false
}

// Inputs returns the run's input messages as IntelMQ wire JSON strings,
// the form bottest.Case.Input accepts.
func (run *Run) Inputs() []any {
	out := make([]any, len(run.Input))
	for i, in := range run.Input {
		out[i] = string(in)
	}
	return out
}

// Paths returns the named paths of the run other than "_default", for
// bottest.Case.Paths.
func (run *Run) Paths() []string {
	var out []string
	for _, p := range run.DestinationPaths {
		if p != botapi.DefaultPath && p != botapi.ErrorPath {
			out = append(out, p)
		}
	}
	return out
}

// CheckResult compares a bottest run with the run's expectations, as
// Check does.
func (run *Run) CheckResult(t testing.TB, res *bottest.Result) {
	t.Helper()
	rec := NewRecorder()
	for path, msgs := range res.Wire {
		for _, m := range msgs {
			rec.Sent[path] = append(rec.Sent[path], []byte(m))
		}
	}
	run.Check(t, rec)
}

// Check compares what was sent with the run's expectations: the number of
// messages per path, and every expected message with IntelMQ's
// assertMessageEqual rules (time.observation ignored, raw ignored unless
// compare_raw, output compared as parsed JSON, otherwise equal keys, values
// and JSON types).
func (run *Run) Check(t testing.TB, rec *Recorder) {
	t.Helper()
	for path, want := range run.OutputCounts {
		if got := len(rec.Sent[path]); got != want {
			t.Errorf("path %s: %d messages sent, want %d", path, got, want)
		}
	}
	for _, exp := range run.Expected {
		sent := rec.Sent[exp.Path]
		if exp.Position >= len(sent) {
			t.Errorf("path %s: no message at position %d", exp.Path, exp.Position)
			continue
		}
		got, err := decodeJSON(sent[exp.Position])
		if err != nil {
			t.Errorf("path %s position %d: %v", exp.Path, exp.Position, err)
			continue
		}
		want := normalize(exp.Message, exp.CompareRaw)
		if diff := cmp.Diff(want, normalize(got, exp.CompareRaw)); diff != "" {
			t.Errorf("path %s position %d (-want +got):\n%s", exp.Path, exp.Position, diff)
		}
	}
}

func decodeJSON(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	err := dec.Decode(&m)
	return m, err
}

// normalize applies IntelMQ's comparison rules and tags numbers with their
// JSON type, so 80 and 80.0 differ.
func normalize(m map[string]any, compareRaw bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch {
		case k == "time.observation", k == "raw" && !compareRaw:
			continue
		case k == "output":
			if s, ok := v.(string); ok {
				if parsed, err := decodeAny(s); err == nil {
					v = parsed
				}
			}
		}
		out[k] = TagNumbers(v)
	}
	return out
}

func decodeAny(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// TagNumbers replaces json.Number values with "int:N" or "float:F"
// strings, so that comparing decoded JSON tells 80 from 80.0.
func TagNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := x.String()
		if !strings.ContainsAny(s, ".eE") {
			return "int:" + s
		}
		f, _ := x.Float64()
		return fmt.Sprintf("float:%v", f)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = TagNumbers(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = TagNumbers(e)
		}
		return out
	}
	return v
}
