// SPDX-License-Identifier: AGPL-3.0-or-later

package bottest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// tagger is a small expert: it sets extra.tag from its parameter and sends
// events with a source.port to the path "ported", others to "_default".
type tagger struct {
	tag string
	log func(string)
}

var _ botapi.Processor = (*tagger)(nil)

func newTagger(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return &tagger{tag: p.String("tag"), log: func(s string) { bc.Logger.Info(s) }}, nil
}

func (b *tagger) Process(_ context.Context, m *message.Message, out botapi.Sender) error {
	if err := m.AddString("extra.tag", b.tag); err != nil {
		return err
	}
	if m.Has("source.port") {
		return out.Send("ported", m)
	}
	return out.Send(botapi.DefaultPath, m)
}

func TestExpertOutputPerPath(t *testing.T) {
	res := bottest.Run(t, bottest.Case{
		Kind:   botapi.KindExpert,
		New:    newTagger,
		Params: botapi.MapParams{"tag": "seen"},
		Paths:  []string{"ported"},
		Input: []any{
			`{"source.ip": "192.0.2.1", "time.observation": "2024-01-01T00:00:00+00:00"}`,
			`{"source.ip": "192.0.2.2", "source.port": 80, "__type": "Event"}`,
		},
	})
	res.AssertOutputLen(t, "", 1)
	res.AssertOutputLen(t, "ported", 1)
	res.AssertMessageEqual(t, 0, `{"source.ip": "192.0.2.1", "extra.tag": "seen"}`, true, "")
	res.AssertMessageEqual(t, 0, map[string]any{"source.ip": "192.0.2.2", "source.port": 80, "extra.tag": "seen"}, true, "ported")
	res.AssertAnyLoglineEqual(t, "Bot stopped.", "INFO")
	if res.Stats.Success != 2 {
		t.Errorf("success %d; want 2", res.Stats.Success)
	}
}

// failer fails on every message.
type failer struct{}

func (failer) Process(context.Context, *message.Message, botapi.Sender) error {
	return errors.New("the lookup service is down")
}

func TestFailingExpertIsDumpedAndRoutedToOnError(t *testing.T) {
	res := bottest.Run(t, bottest.Case{
		Kind:          botapi.KindExpert,
		New:           func(*botapi.Context, botapi.Params) (botapi.Bot, error) { return failer{}, nil },
		Input:         []any{`{"source.ip": "192.0.2.1"}`},
		AllowedErrors: 1,
	})
	res.AssertOutputLen(t, "", 0)
	res.AssertOutputLen(t, botapi.ErrorPath, 1)
	res.AssertMessageEqual(t, 0, `{"source.ip": "192.0.2.1"}`, true, botapi.ErrorPath)
	res.AssertLogMatches(t, `^Bot has found a problem\.$`, "ERROR")
	res.AssertLogMatches(t, `lookup service is down`, "ERROR")
	if len(res.Dumps) != 1 || res.Dumps[0].Error() != "the lookup service is down" {
		t.Errorf("dumps %+v", res.Dumps)
	}
}

// reportCollector emits one report per configured line.
type reportCollector struct{ bc *botapi.Context }

func (c reportCollector) Collect(ctx context.Context, out botapi.Emitter) error {
	for _, line := range []string{"a,b", "c,d"} {
		r := message.NewReport(c.bc.Schema)
		if err := r.AddString("feed.name", c.bc.Feed.Name); err != nil {
			return err
		}
		if err := r.AddString("time.observation", c.bc.Clock.Now().Format("2006-01-02T15:04:05+00:00")); err != nil {
			return err
		}
		if err := message.SetRawText(r, line); err != nil {
			return err
		}
		if err := out.Emit(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func TestCollector(t *testing.T) {
	res := bottest.Run(t, bottest.Case{
		Kind: botapi.KindCollector,
		Feed: &botapi.Feed{Name: "Sample"},
		New: func(bc *botapi.Context, _ botapi.Params) (botapi.Bot, error) {
			return reportCollector{bc}, nil
		},
	})
	res.AssertOutputLen(t, "", 2)
	res.AssertMessageEqual(t, 1, `{"feed.name": "Sample", "raw": "Yyxk", "__type": "Report"}`, true, "")
	if got := res.Messages("")[0].GetString("time.observation"); got != "2016-01-01T00:00:00+00:00" {
		t.Errorf("time.observation %q; want the harness clock's time", got)
	}
}

// fakeT records the harness's complaints instead of failing.
type fakeT struct {
	testing.TB
	errs []string
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.errs = append(f.errs, format)
}

func (f *fakeT) Helper() {}

// wrongType is an expert that emits reports.
type wrongType struct{ bc *botapi.Context }

func (w wrongType) Process(_ context.Context, m *message.Message, out botapi.Sender) error {
	w.bc.Logger.Warn("something odd")
	return out.Send(botapi.DefaultPath, message.NewReport(w.bc.Schema))
}

func TestHarnessReportsViolations(t *testing.T) {
	ft := &fakeT{TB: t}
	bottest.Run(ft, bottest.Case{
		Kind:  botapi.KindExpert,
		New:   func(bc *botapi.Context, _ botapi.Params) (botapi.Bot, error) { return wrongType{bc}, nil },
		Input: []any{`{"source.ip": "192.0.2.1"}`},
	})
	all := strings.Join(ft.errs, "\n")
	for _, want := range []string{
		"is a %s; want a %s",                        // a Report from an expert
		"%d WARNING log line(s); %d allowed",        // the unexpected warning
		"log message is not a sentence ending with", // "something odd" lacks a period
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the harness did not report %q; it reported:\n%s", want, all)
		}
	}
}

func TestParamsHoldTheDefaults(t *testing.T) {
	spec := botapi.Spec{ID: "expert.x", Kind: botapi.KindExpert, Params: []botapi.Param{
		{Name: "a", Type: botapi.TypeInt, Default: int64(3)},
		{Name: "b", Type: botapi.TypeString, Required: true},
	}}
	p := bottest.Params(spec)
	if len(p) != 1 || p.Int("a") != 3 {
		t.Errorf("Params = %v, want only the default a = 3", p)
	}
}
