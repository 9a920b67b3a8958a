// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// checkBot builds the Go bot of a block whose parameters are all valid, as
// the runtime will build it, and reports what its Constructor and its
// Validate refuse: the checks a bot makes of its parameters together (a
// URL, a regular expression, two options that exclude each other) then
// fail "intelmq validate" rather than the bot's start. Constructors have
// no side effects (botapi.Constructor) and the bot is never started.
// An error about one parameter (botapi.ParamError) points at its value,
// any other at the block.
func (c *compiler) checkBot(spec *botapi.Spec, pb *plan.Bot, call botCall) {
	if c.placeholders(spec, pb, call) {
		return // a template to fill in, not yet a configuration
	}
	ctor := c.bots.Constructor(spec.ID)
	if ctor == nil {
		return // a spec registered without its implementation
	}
	bc := &botapi.Context{ID: pb.Name, Logger: slog.New(slog.DiscardHandler), Clock: clock.System{},
		Schema: c.schema, Feed: call.feed}
	if f := call.decl.Filename; f != "" {
		if d, err := filepath.Abs(filepath.Dir(f)); err == nil {
			bc.BaseDir = d
		}
	}
	err := buildAndValidate(ctor, bc, pb.Params)
	if err == nil {
		return
	}
	if pe := (*botapi.ParamError)(nil); errors.As(err, &pe) {
		for _, p := range call.params {
			if p.Name == pe.Name {
				c.errorf(p.Expr.Range(), "Invalid parameter value", fmt.Sprintf(
					"The bot %s refuses this value of its parameter %q: %s.", spec.ID, pe.Name, trimPeriod(pe.Err.Error())))
				return
			}
		}
	}
	c.errorf(call.decl, "Invalid bot configuration", fmt.Sprintf(
		"The bot %s refuses this configuration: %s.", spec.ID, trimPeriod(err.Error())))
}

// buildAndValidate is botapi.Check, with a panic of the bot's code turned
// into an error: a bad configuration never crashes the compiler.
func buildAndValidate(ctor botapi.Constructor, bc *botapi.Context, params botapi.Params) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("its code failed while checking the parameters (%v); please report this", r)
		}
	}()
	return botapi.Check(ctor, bc, params)
}

// placeholderPattern is a value the feed catalogue leaves to the user,
// written "{{ name }}" (docs/feeds.md).
var placeholderPattern = regexp.MustCompile(`\{\{ *[A-Za-z_][A-Za-z0-9_]* *\}\}`)

// placeholders warns about each parameter of the block that still holds
// a placeholder of the feed catalogue, and reports whether one does.
func (c *compiler) placeholders(spec *botapi.Spec, pb *plan.Bot, call botCall) bool {
	found := false
	for _, p := range call.params {
		var texts []string
		switch v := pb.Params[p.Name].(type) {
		case string:
			texts = []string{v}
		case []string:
			texts = v
		case map[string]string:
			for _, t := range v {
				texts = append(texts, t)
			}
		}
		for _, t := range texts {
			if ph := placeholderPattern.FindString(t); ph != "" {
				c.warnf(p.Expr.Range(), "Placeholder not replaced", fmt.Sprintf(
					"The parameter %q of %s holds the placeholder %s, which stands for a value only you know (a credential, an API key, a choice). Replace it with your value; until then the bot's own checks of its parameters are skipped.",
					p.Name, spec.ID, ph))
				found = true
				break
			}
		}
	}
	return found
}

// trimPeriod removes a final period, which the diagnostic adds.
func trimPeriod(s string) string {
	if n := len(s); n > 0 && s[n-1] == '.' {
		return s[:n-1]
	}
	return s
}
