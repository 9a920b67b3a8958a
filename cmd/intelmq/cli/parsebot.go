// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/botlog"
	"github.com/intelmq-go/intelmq/runtime/parse"
	"github.com/intelmq-go/intelmq/runtime/runner"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// parserBot returns the Go parser bot "intelmq parse --parser name" names
// when no parser block has that name: the bot block of that name whose
// bot is a parser, or else the registered parser bot whose id is name or
// "parser.<name>", with its default parameters. It returns nil when there
// is none, and an error for a bot block of another kind.
func parserBot(pl *plan.Plan, name string) (*plan.Bot, error) {
	for _, b := range pl.Bots {
		if b.Name != name {
			continue
		}
		if b.Kind != plan.KindParser {
			return nil, fmt.Errorf("the bot %s (%s, %s) is not a parser bot", name, b.Type, b.Origin)
		}
		return b, nil
	}
	reg, err := botRegistry()
	if err != nil {
		return nil, err
	}
	for _, id := range []string{name, "parser." + name} {
		spec, ok := reg.Lookup(id)
		if !ok || spec.Kind != botapi.KindParser {
			continue
		}
		b := &plan.Bot{Name: spec.Name(), Kind: plan.KindParser, Type: spec.ID, Params: plan.Params{}}
		for _, p := range spec.Params {
			switch {
			case p.Required:
				return nil, fmt.Errorf("the parser bot %s needs the parameter %q: declare it in a bot block (bot %q \"name\" { %s = … })",
					spec.ID, p.Name, spec.ID, p.Name)
			case p.Default != nil:
				b.Params[p.Name] = p.Default
			}
		}
		return b, nil
	}
	return nil, nil
}

// parseReportWithBot runs the Go parser bot b over report and prints
// events and bad records as parseReport does; the bot's log goes to
// standard error.
func parseReportWithBot(env *Env, file string, b *plan.Bot, report *message.Message) int {
	reg, err := botRegistry()
	if err != nil {
		env.Errorf("intelmq parse: %v", err)
		return exitUsage
	}
	ctor := reg.Constructor(b.Type)
	if ctor == nil {
		env.Errorf("intelmq parse: the bot %s has no constructor in this binary", b.Type)
		return exitUsage
	}
	clk := clock.System{}
	schema := harmonization.Default()
	bc := &botapi.Context{ID: b.Name + "-parser", Clock: clk, Schema: schema, BaseDir: baseDirOf(b.Origin),
		Logger: botlog.New(botlog.SyncWriter(env.Stderr), b.Name+"-parser", slog.LevelWarn, clk)}
	bot, err := ctor(bc, b.Params)
	if err == nil {
		err = runner.Validate(bot)
	}
	if err != nil {
		env.Errorf("intelmq parse: bot %s (%s): %v", b.Name, b.Type, err)
		return exitUsage
	}
	if c, ok := bot.(botapi.Closer); ok {
		defer func() { _ = c.Close() }()
	}
	p, ok := bot.(botapi.Parser)
	if !ok {
		env.Errorf("intelmq parse: the bot %s is not a parser", b.Type)
		return exitUsage
	}
	opts, err := runner.NewParserBotOptions(b.Params, schema)
	if err != nil {
		env.Errorf("intelmq parse: bot %s: %v", b.Name, err)
		return exitUsage
	}
	return printParse(env, file, func(emit func(*message.Message) error, bad func(parse.BadRecord)) (parse.Stats, error) {
		return runner.RunParserBot(context.Background(), p, report, opts, emit, bad)
	})
}

// baseDirOf returns the directory of the file a declaration is in, or "".
func baseDirOf(o plan.Origin) string {
	if i := strings.LastIndexAny(o.File, `/\`); i >= 0 {
		return o.File[:i]
	}
	return ""
}
