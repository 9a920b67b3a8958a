// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// failures is a testing.TB that records failures instead of failing.
type failures struct {
	testing.TB
	msgs []string
}

func (f *failures) Helper() {}
func (f *failures) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}
func (f *failures) Fatalf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

// setter is a processor that sets one field and forwards the event.
type setter struct{ key, value string }

func (s setter) Process(_ context.Context, msg *message.Message, out botapi.Sender) error {
	if s.key != "" {
		if err := msg.AddString(s.key, s.value); err != nil {
			return err
		}
	}
	return out.Send(botapi.DefaultPath, msg)
}

// process runs the inputs of r through p and records what it sends.
func process(t *testing.T, r Run, p botapi.Processor) *Recorder {
	t.Helper()
	rec := NewRecorder(botapi.DefaultPath)
	for _, in := range r.Inputs() {
		msg, err := message.Decode(harmonization.Default(), []byte(in.(string)))
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Process(context.Background(), msg, rec); err != nil {
			t.Fatal(err)
		}
	}
	return rec
}

// TestCheckResult replays a run through the real runner with bottest.
func TestCheckResult(t *testing.T) {
	r := run(t, `{"__type": "Event", "source.ip": "192.0.2.1", "source.port": 80}`)
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindExpert, Input: r.Inputs(),
		New: func(*botapi.Context, botapi.Params) (botapi.Bot, error) { return setter{"source.port", "80"}, nil }})
	r.CheckResult(t, res)
}

func run(t *testing.T, expected string) Run {
	t.Helper()
	var r Run
	data := `{"input": [{"__type": "Event", "source.ip": "192.0.2.1", "time.observation": "2020-01-01T00:00:00+00:00"}],
		"output_counts": {"_default": 1},
		"expected": [{"path": "_default", "position": 0, "compare_raw": true, "message": ` + expected + `}]}`
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCheckDetectsDifferences(t *testing.T) {
	tests := []struct {
		name     string
		bot      setter
		expected string
		fails    bool
	}{
		{"equal, time.observation ignored", setter{"source.port", "80"},
			`{"__type": "Event", "source.ip": "192.0.2.1", "source.port": 80, "time.observation": "1999-01-01T00:00:00+00:00"}`, false},
		{"missing field", setter{}, `{"__type": "Event", "source.ip": "192.0.2.1", "source.port": 80}`, true},
		{"extra field", setter{"source.port", "80"}, `{"__type": "Event", "source.ip": "192.0.2.1"}`, true},
		{"int against float", setter{"source.port", "80"}, `{"__type": "Event", "source.ip": "192.0.2.1", "source.port": 80.0}`, true},
		{"other value", setter{"source.port", "80"}, `{"__type": "Event", "source.ip": "192.0.2.1", "source.port": 81}`, true},
	}
	for _, tt := range tests {
		r := run(t, tt.expected)
		f := &failures{TB: t}
		r.Check(f, process(t, r, tt.bot))
		if got := len(f.msgs) > 0; got != tt.fails {
			t.Errorf("%s: failed %v (%v), want %v", tt.name, got, f.msgs, tt.fails)
		}
	}
}

func TestCheckCounts(t *testing.T) {
	r := run(t, `{"__type": "Event", "source.ip": "192.0.2.1"}`)
	r.OutputCounts["_default"] = 2
	f := &failures{TB: t}
	r.Check(f, process(t, r, setter{}))
	if len(f.msgs) != 1 {
		t.Errorf("a wrong count gave %v", f.msgs)
	}
}

func TestParams(t *testing.T) {
	spec := botapi.Spec{ID: "expert.x", Kind: botapi.KindExpert, Params: []botapi.Param{
		{Name: "n", Type: botapi.TypeInt, Default: int64(1)},
		{Name: "d", Type: botapi.TypeDuration},
		{Name: "l", Type: botapi.TypeStringList},
		{Name: "b", Type: botapi.TypeBool, Default: true},
		{Name: "s", Type: botapi.TypeString, Default: "x"},
	}}
	var raw map[string]any
	if err := json.Unmarshal([]byte(`{"n": "86400", "d": "1.5", "l": "raw ,time.observation ", "s": null}`), &raw); err != nil {
		t.Fatal(err)
	}
	p, err := Params(spec, raw)
	if err != nil {
		t.Fatal(err)
	}
	if p.Int("n") != 86400 || p.Duration("d") != 1500*time.Millisecond || !p.Bool("b") || p.String("s") != "x" {
		t.Errorf("params = %v", p)
	}
	if l := p.List("l"); len(l) != 2 || l[0] != "raw" || l[1] != "time.observation" {
		t.Errorf("list = %q", l)
	}
	if _, err := Params(spec, map[string]any{"unknown": 1}); err == nil {
		t.Error("an unknown parameter was accepted")
	}
}

func TestRecorderRouting(t *testing.T) {
	rec := NewRecorder(botapi.DefaultPath)
	msg := message.NewEvent(harmonization.Default())
	if err := rec.Send("other", msg); err == nil {
		t.Error("an unrouted path was accepted")
	}
	if err := rec.Send(botapi.ErrorPath, msg); err != nil {
		t.Errorf("the unrouted error path: %v", err)
	}
	if err := rec.Emit(context.Background(), message.NewReport(harmonization.Default())); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Messages(t, botapi.DefaultPath)); n != 1 {
		t.Errorf("%d messages recorded", n)
	}
}
