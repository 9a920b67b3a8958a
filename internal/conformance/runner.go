// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/parse"
	"github.com/intelmq-go/intelmq/runtime/runner"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Status is the outcome of one case.
type Status uint8

// The outcomes of a case.
const (
	Pass  Status = iota + 1 // every run gave IntelMQ's events
	Fail                    // some run differs
	Known                   // a deliberate, documented difference
	Skip                    // no parser stands for the case
)

var statusNames = [...]string{"", "pass", "fail", "known", "skip"}

// String returns "pass", "fail", "known" or "skip".
func (s Status) String() string {
	if int(s) < len(statusNames) && s != 0 {
		return statusNames[s]
	}
	return "invalid"
}

// Result is the outcome of one case.
type Result struct {
	Case   *Case
	Status Status
	// Parser names the parser that ran, "" when skipped.
	Parser string
	// Problems lists what differs from IntelMQ, one entry per difference.
	Problems []string
	// Reason says why a case was skipped or is a known difference.
	Reason string
}

// CompileFunc compiles one HCL file on its own and returns its parsers.
type CompileFunc func(filename string, src []byte) ([]*plan.Parser, error)

// Runner replays cases against a set of parsers.
type Runner struct {
	// Library holds the parsers that may stand for a case, found by their
	// IntelMQModule.
	Library []*plan.Parser
	// Bots holds the Go parser bots that may stand for a case, found by
	// their Spec's IntelMQModule when no parser of Library ports the
	// module.
	Bots []ParserBot
	// Compile compiles the parsers Synthesize writes for parameter-driven
	// modules; nil skips such cases.
	Compile CompileFunc
	// Known maps case names to the reason of a deliberate difference.
	Known map[string]string
}

// ParserBot is a Go parser bot (a Spec of botapi.KindParser that names
// its IntelMQModule) with its constructor.
type ParserBot struct {
	Spec *botapi.Spec
	New  botapi.Constructor
}

// parseFunc parses one report: emit gets each event, bad each bad record.
type parseFunc func(ctx context.Context, report *message.Message, emit func(*message.Message) error, bad func(parse.BadRecord)) error

// Run replays c and compares its events with IntelMQ's.
func (r *Runner) Run(ctx context.Context, c *Case) Result {
	res := Result{Case: c}
	p, reason, err := r.parserFor(c)
	if err == nil && p == nil {
		var b *ParserBot
		if b, reason = r.botFor(c, reason); b != nil {
			res.Parser = b.Spec.ID
			return r.finish(res, func(run Run) []string { return replayBot(ctx, b, c.Parameters, run) })
		}
	}
	switch {
	case err != nil:
		res.Status, res.Problems = Fail, []string{err.Error()}
		return res
	case p == nil:
		res.Status, res.Reason = Skip, reason
		return res
	}
	res.Parser = p.Name
	return r.finish(res, func(run Run) []string { return replayParser(ctx, p, run) })
}

// finish replays every run of the case with replay and sets the status.
func (r *Runner) finish(res Result, replay func(Run) []string) Result {
	c := res.Case
	for i, run := range c.Runs {
		for _, pr := range replay(run) {
			if len(c.Runs) > 1 {
				pr = fmt.Sprintf("run %d: %s", i, pr)
			}
			res.Problems = append(res.Problems, pr)
		}
	}
	known, isKnown := r.Known[c.Name]
	switch {
	case isKnown && len(res.Problems) > 0:
		res.Status, res.Reason = Known, known
	case isKnown:
		res.Status = Fail
		res.Problems = []string{fmt.Sprintf("listed as a known difference (%s) but gives IntelMQ's events", known)}
	case len(res.Problems) > 0:
		res.Status = Fail
	default:
		res.Status = Pass
	}
	return res
}

// parserFor returns the parser standing for c, or nil and the reason.
func (r *Runner) parserFor(c *Case) (*plan.Parser, string, error) {
	if name, src, ok, err := Synthesize(c); ok || err != nil {
		if err != nil {
			return nil, "", err
		}
		if r.Compile == nil {
			return nil, "the module is configured by parameters and no compiler was given", nil
		}
		ps, err := r.Compile(name, src)
		if err != nil {
			return nil, "", fmt.Errorf("the parser written from the parameters does not compile: %w\n%s", err, src)
		}
		if len(ps) != 1 {
			return nil, "", fmt.Errorf("the parser written from the parameters gave %d parsers", len(ps))
		}
		return ps[0], "", nil
	}
	var cands []*plan.Parser
	for _, p := range r.Library {
		if p.IntelMQModule == c.Bot {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return nil, "no parser ports " + c.Bot, nil
	}
	return pickByParameters(cands, c.Parameters), "", nil
}

// pickByParameters chooses among the parsers porting one module. The
// parser with the shortest name ports the module's default parameters; a
// parser named after it plus "_<parameter>" (json_splitlines) ports the
// module with that boolean parameter true, and stands for the cases that
// set it (see stdlib/feeds/README.md).
func pickByParameters(cands []*plan.Parser, params map[string]any) *plan.Parser {
	sort.Slice(cands, func(i, j int) bool {
		if len(cands[i].Name) != len(cands[j].Name) {
			return len(cands[i].Name) < len(cands[j].Name)
		}
		return cands[i].Name < cands[j].Name
	})
	base := cands[0]
	for _, p := range cands[1:] {
		param, ok := strings.CutPrefix(p.Name, base.Name+"_")
		if on, _ := params[param].(bool); ok && on {
			return p
		}
	}
	return base
}

// botFor returns the Go parser bot standing for c, or nil and why not
// (reason is the reason no declared parser stands for it).
func (r *Runner) botFor(c *Case, reason string) (*ParserBot, string) {
	for i := range r.Bots {
		if b := &r.Bots[i]; b.Spec != nil && b.Spec.IntelMQModule == c.Bot && b.New != nil {
			return b, ""
		}
	}
	return nil, reason
}

// replayParser runs one run of a case with a declared parser.
func replayParser(ctx context.Context, p *plan.Parser, run Run) []string {
	x, err := parse.New(p)
	if err != nil {
		return []string{fmt.Sprintf("the parser cannot run: %v", err)}
	}
	return replay(ctx, func(ctx context.Context, report *message.Message, emit func(*message.Message) error, bad func(parse.BadRecord)) error {
		_, err := x.Run(ctx, report, emit, bad)
		return err
	}, run)
}

// replayBot runs one run of a case with a Go parser bot built, as IntelMQ
// starts its bot, afresh for the run from the case's parameters.
func replayBot(ctx context.Context, b *ParserBot, caseParams map[string]any, run Run) []string {
	params := BotParams(b.Spec, caseParams)
	schema := harmonization.Default()
	bc := &botapi.Context{ID: "conformance-parser", Logger: slog.New(slog.DiscardHandler),
		Clock: clock.NewManual(recorded), Schema: schema, Testing: true}
	bot, err := b.New(bc, params)
	if err != nil {
		return []string{fmt.Sprintf("the bot cannot be built from the case's parameters: %v", err)}
	}
	if c, ok := bot.(botapi.Closer); ok {
		defer func() { _ = c.Close() }()
	}
	if err := runner.Validate(bot); err != nil {
		return []string{fmt.Sprintf("the bot rejects the case's parameters: %v", err)}
	}
	if st, ok := bot.(botapi.Starter); ok {
		if err := st.Start(ctx); err != nil {
			return []string{fmt.Sprintf("the bot cannot start: %v", err)}
		}
	}
	p, ok := bot.(botapi.Parser)
	if !ok {
		return []string{fmt.Sprintf("%s is not a botapi.Parser", b.Spec.ID)}
	}
	opts, err := runner.NewParserBotOptions(params, schema)
	if err != nil {
		return []string{fmt.Sprintf("the case's parser-wide parameters: %v", err)}
	}
	return replay(ctx, func(ctx context.Context, report *message.Message, emit func(*message.Message) error, bad func(parse.BadRecord)) error {
		_, err := runner.RunParserBot(ctx, p, report, opts, emit, bad)
		return err
	}, run)
}

// recorded is when the corpus was recorded, the clock of the bots.
var recorded = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// BotParams maps a case's IntelMQ parameters to the parameters of a Go
// bot: a parameter the Spec declares (or a parser-wide one) takes the
// case's value, the others their default. IntelMQ parameters the bot does
// not declare are left out.
func BotParams(spec *botapi.Spec, caseParams map[string]any) botapi.MapParams {
	out := botapi.MapParams{}
	for _, p := range spec.Params {
		if p.Default != nil {
			out[p.Name] = p.Default
		}
	}
	for k, v := range caseParams {
		if spec.Param(k) != nil || botapi.ParserParam(k) != nil {
			out[k] = v
		}
	}
	return out
}

// replay runs one run of a case with run and returns its differences.
func replay(ctx context.Context, parseReport parseFunc, run Run) []string {
	var got []map[string]any
	var problems, bad []string
	for i, in := range run.Input {
		report, err := message.Decode(harmonization.Default(), in)
		if err != nil {
			return []string{fmt.Sprintf("input report %d: %v", i, err)}
		}
		err = parseReport(ctx, report, func(ev *message.Message) error {
			var m map[string]any
			if err := json.Unmarshal(ev.AppendWire(nil), &m); err != nil {
				return err
			}
			got = append(got, m)
			return nil
		}, func(b parse.BadRecord) {
			bad = append(bad, fmt.Sprintf("bad record at line %d: %v", b.Line, b.Err))
		})
		if err != nil {
			// IntelMQ logs one error for a report its parser cannot split.
			bad = append(bad, fmt.Sprintf("report %d failed: %v", i, err))
		}
	}
	if want := run.OutputCounts["_default"]; len(got) != want {
		problems = append(problems, fmt.Sprintf("%d events, IntelMQ sent %d", len(got), want))
	}
	if len(bad) != run.LoggedErrors {
		problems = append(problems, fmt.Sprintf("%d bad records or failed reports, IntelMQ logged %d errors", len(bad), run.LoggedErrors))
		problems = append(problems, bad...)
	}
	for _, e := range run.Expected {
		switch {
		case e.Path != "_default":
			problems = append(problems, fmt.Sprintf("IntelMQ sent an event to path %q, which parsers do not have", e.Path))
		case e.Position >= len(got):
			problems = append(problems, fmt.Sprintf("event %d is missing", e.Position))
		default:
			if d := Diff(e.Message, got[e.Position], e.CompareRaw); d != "" {
				problems = append(problems, fmt.Sprintf("event %d: %s", e.Position, d))
			}
		}
	}
	return problems
}

// Diff compares two events in IntelMQ's wire form (decoded JSON) as
// assertMessageEqual does: time.observation is ignored, raw only compared
// when compareRaw. It returns "" when they are equal, otherwise one
// "-key=want", "+key=got" or "key: want != ours got" entry per key.
func Diff(want, got map[string]any, compareRaw bool) string {
	skip := func(k string) bool { return k == "time.observation" || (k == "raw" && !compareRaw) }
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		if !skip(k) {
			sorted = append(sorted, k)
		}
	}
	sort.Strings(sorted)
	var out []string
	for _, k := range sorted {
		w, wok := want[k]
		g, gok := got[k]
		switch {
		case !gok:
			out = append(out, fmt.Sprintf("-%s=%s", k, show(k, w)))
		case !wok:
			out = append(out, fmt.Sprintf("+%s=%s", k, show(k, g)))
		case !reflect.DeepEqual(w, g):
			out = append(out, fmt.Sprintf("%s: %s != ours %s", k, show(k, w), show(k, g)))
		}
	}
	return strings.Join(out, "; ")
}

// show formats a value for a diff: JSON, raw decoded from base64, long
// values shortened in the middle.
func show(k string, v any) string {
	if s, ok := v.(string); ok && k == "raw" {
		if b, err := base64.StdEncoding.DecodeString(s); err == nil {
			v = string(b)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSpace(buf.String())
	if r := []rune(s); len(r) > 240 {
		s = string(r[:160]) + "…" + string(r[len(r)-60:])
	}
	return s
}

// Summary counts results by status.
type Summary struct {
	Passed, Failed, Known, Skipped int
}

// Add counts one result.
func (s *Summary) Add(r Result) {
	switch r.Status {
	case Pass:
		s.Passed++
	case Fail:
		s.Failed++
	case Known:
		s.Known++
	default:
		s.Skipped++
	}
}

// Total is the number of cases counted.
func (s Summary) Total() int { return s.Passed + s.Failed + s.Known + s.Skipped }

// String returns "N passed, M failed, S skipped, K known differences".
func (s Summary) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped, %d known differences", s.Passed, s.Failed, s.Skipped, s.Known)
}
