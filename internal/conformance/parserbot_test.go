// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// upperParser is a Go parser bot for the tests: one event per line, its
// source.fqdn the line, and its comment the line in upper case when the
// parameter upper is set; a
// line starting with "!" is a bad record.
type upperParser struct{ upper bool }

func (p upperParser) Parse(_ context.Context, report *message.Message, out botapi.Records) error {
	text, err := report.RawText()
	if err != nil {
		return err
	}
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if strings.HasPrefix(line, "!") {
			out.Bad(line, i+1, errors.New("a line starting with ! is bad"))
			continue
		}
		ev := out.NewEvent()
		if err := ev.AddString("source.fqdn", line); err != nil {
			out.Bad(line, i+1, err)
			continue
		}
		if err := ev.AddString("classification.type", "phishing"); err != nil {
			return err
		}
		if p.upper {
			if err := ev.AddString("comment", strings.ToUpper(line)); err != nil {
				return err
			}
		}
		if err := out.Event(ev, line); err != nil {
			return err
		}
	}
	return nil
}

func upperBot() ParserBot {
	spec := &botapi.Spec{ID: "parser.upper", Kind: botapi.KindParser, IntelMQModule: "intelmq.bots.parsers.upper.parser",
		Params: []botapi.Param{{Name: "upper", Type: botapi.TypeBool, Default: false}}}
	return ParserBot{Spec: spec, New: func(_ *botapi.Context, p botapi.Params) (botapi.Bot, error) {
		return upperParser{upper: p.Bool("upper")}, nil
	}}
}

func upperCase(t *testing.T, params map[string]any, text string, expected ...map[string]any) *Case {
	t.Helper()
	in, err := json.Marshal(map[string]any{"__type": "Report", "feed.name": "Upper",
		"raw": base64.StdEncoding.EncodeToString([]byte(text))})
	if err != nil {
		t.Fatal(err)
	}
	run := Run{Input: []json.RawMessage{in}, OutputCounts: map[string]int{"_default": len(expected)}}
	for i, e := range expected {
		run.Expected = append(run.Expected, Expected{Path: "_default", Position: i, Message: e})
	}
	return &Case{Name: "upper/TestUpper.test", Bot: "intelmq.bots.parsers.upper.parser", Parameters: params, Runs: []Run{run}}
}

// TestParserBotCases: a Go parser bot naming a module stands for its cases,
// built from the case's parameters; a wrong event fails the case.
func TestParserBotCases(t *testing.T) {
	r := &Runner{Bots: []ParserBot{upperBot()}}
	ev := func(fqdn string) map[string]any {
		return map[string]any{"__type": "Event", "feed.name": "Upper", "classification.type": "phishing", "source.fqdn": fqdn}
	}
	upper := func(fqdn string) map[string]any {
		m := ev(fqdn)
		m["comment"] = strings.ToUpper(fqdn)
		return m
	}
	res := r.Run(context.Background(), upperCase(t, map[string]any{"upper": true, "unknown_to_the_bot": 1},
		"a.example\nb.example\n", upper("a.example"), upper("b.example")))
	if res.Status != Pass || res.Parser != "parser.upper" {
		t.Errorf("status %s, parser %q, problems %q; want a pass by parser.upper", res.Status, res.Parser, res.Problems)
	}
	res = r.Run(context.Background(), upperCase(t, nil, "A.example\n", ev("x.example")))
	if res.Status != Fail || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "source.fqdn") {
		t.Errorf("status %s, problems %q; want one difference in source.fqdn", res.Status, res.Problems)
	}
	res = r.Run(context.Background(), upperCase(t, nil, "!a.example\n"))
	if res.Status != Fail || !strings.Contains(strings.Join(res.Problems, "\n"), "bad record at line 1") {
		t.Errorf("status %s, problems %q; want the bad record reported", res.Status, res.Problems)
	}
	c := upperCase(t, nil, "a.example\n", ev("a.example"))
	c.Bot = "intelmq.bots.parsers.other.parser"
	if res := r.Run(context.Background(), c); res.Status != Skip {
		t.Errorf("a case of another module: status %s, want skip", res.Status)
	}
}

// TestBotParams: declared parameters take the case's values, the others
// their defaults; IntelMQ parameters the bot does not declare are left out.
func TestBotParams(t *testing.T) {
	spec := upperBot().Spec
	p := BotParams(spec, map[string]any{"upper": true, "default_fields": map[string]any{"comment": "c"}, "other": "x"})
	if !p.Bool("upper") || p.Map("default_fields")["comment"] != "c" {
		t.Errorf("params %v", p)
	}
	if _, ok := p["other"]; ok {
		t.Errorf("an undeclared parameter was kept: %v", p)
	}
	if p := BotParams(spec, nil); p.Bool("upper") || len(p) != 1 {
		t.Errorf("defaults: %v", p)
	}
}
