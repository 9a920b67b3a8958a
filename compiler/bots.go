// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/lang/schema"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// resolveBots checks every expert, output and bot block against its Spec.
func (c *compiler) resolveBots() {
	for _, kind := range []string{schema.KindExpert, schema.KindOutput, schema.KindBot} {
		for _, name := range names(c.decl.bots[kind]) {
			b := c.decl.bots[kind][name]
			id, want := b.Type, botapi.Kind(0)
			switch kind {
			case schema.KindExpert:
				id, want = "expert."+b.Type, botapi.KindExpert
			case schema.KindOutput:
				id, want = "output."+b.Type, botapi.KindOutput
			}
			pb := c.lowerBot(botCall{
				name: b.Name, id: id, kind: want, idRange: b.TypeRange, params: b.Params, decl: b.DeclRange,
			})
			if pb != nil {
				c.botsOut[kind+"."+name] = pb
				c.plan.Bots = append(c.plan.Bots, pb)
			}
		}
	}
}

// botCall is a use of a Go bot: a collect, expert, output or bot block.
type botCall struct {
	name    string
	id      string      // the full spec ID
	kind    botapi.Kind // the kind the block requires; 0 for bot blocks
	idRange hcl.Range
	params  []*lang.Param
	decl    hcl.Range
	feed    *botapi.Feed // a collector's feed, as the runtime describes it
}

// lowerBot finds the bot's Spec and checks and converts its parameters.
func (c *compiler) lowerBot(call botCall) *plan.Bot {
	spec, ok := c.bots.Lookup(call.id)
	if !ok {
		c.unknownBot(call)
		return nil
	}
	pb := &plan.Bot{Name: call.name, Kind: planKind(spec.Kind), Type: spec.ID, Params: plan.Params{}, Origin: origin(call.decl)}
	errs := len(c.diags.Errs())
	given := map[string]bool{}
	for _, p := range call.params {
		sp := spec.Param(p.Name)
		if sp == nil {
			sp = botapi.CommonParam(p.Name) // error_max_retries, batch_size, … of every bot
		}
		if sp == nil && spec.Kind == botapi.KindParser {
			sp = botapi.ParserParam(p.Name) // default_fields, … of every parser bot
		}
		if sp == nil {
			c.errorf(p.NameRange, "Unknown parameter", fmt.Sprintf("The bot %s has no parameter %q.%s%s",
				spec.ID, p.Name, didyoumean.Suffix(p.Name, paramNames(spec)), paramList(spec)))
			continue
		}
		given[p.Name] = true
		if v, ok := c.paramValue(spec, sp, p); ok {
			pb.Params[p.Name] = v
		}
	}
	for _, sp := range spec.Params {
		switch {
		case given[sp.Name]:
		case sp.Required:
			c.errorf(call.decl, "Missing required parameter", fmt.Sprintf(
				"The bot %s needs the parameter %q (%s). Add %s = … to this block.",
				spec.ID, sp.Name, sp.Type, sp.Name))
		case sp.Default != nil:
			pb.Params[sp.Name] = sp.Default
		}
	}
	if len(c.diags.Errs()) == errs {
		c.checkBot(spec, pb, call)
	}
	return pb
}

func (c *compiler) unknownBot(call botCall) {
	var cands []string
	if call.kind != 0 {
		for _, id := range c.bots.IDs(call.kind) {
			cands = append(cands, strings.TrimPrefix(id, call.kind.String()+"."))
		}
	} else {
		cands = c.bots.IDs(0)
	}
	given := call.id
	what := "bot"
	if call.kind != 0 {
		given = strings.TrimPrefix(call.id, call.kind.String()+".")
		what = call.kind.String() + " bot"
	}
	detail := fmt.Sprintf("No %s named %q is registered.", what, given)
	if s := didyoumean.NameSuggestion(given, cands); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	} else if len(cands) > 0 {
		detail += fmt.Sprintf(" The available %ss are: %s.", what, strings.Join(cands, ", "))
	}
	c.errorf(call.idRange, "Unknown bot", detail)
}

func planKind(k botapi.Kind) plan.BotKind {
	switch k {
	case botapi.KindCollector:
		return plan.KindCollector
	case botapi.KindParser:
		return plan.KindParser
	case botapi.KindExpert:
		return plan.KindExpert
	}
	return plan.KindOutput
}

func paramNames(spec *botapi.Spec) []string {
	out := make([]string, len(spec.Params))
	for i, p := range spec.Params {
		out[i] = p.Name
	}
	return out
}

func paramList(spec *botapi.Spec) string {
	if len(spec.Params) == 0 {
		return " It takes no parameters."
	}
	return " Its parameters are: " + strings.Join(paramNames(spec), ", ") + "."
}

// paramValue converts a parameter's HCL value to the Go value of its type.
func (c *compiler) paramValue(spec *botapi.Spec, sp *botapi.Param, p *lang.Param) (any, bool) {
	v, diags := p.Expr.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		c.errorf(p.Expr.Range(), "Invalid parameter value", fmt.Sprintf(
			"The parameter %q of %s takes a constant %s, without variables or function calls.", sp.Name, spec.ID, sp.Type))
		return nil, false
	}
	out, err := convertParam(sp.Type, v)
	if err != nil {
		c.errorf(p.Expr.Range(), "Incorrect parameter type", fmt.Sprintf(
			"The parameter %q of %s must be %s: %s.%s", sp.Name, spec.ID, withArticle(sp.Type), err, typeHint(sp.Type)))
		return nil, false
	}
	if d, ok := out.(time.Duration); ok && d < 0 && !sp.Negative {
		c.errorf(p.Expr.Range(), "Negative duration", fmt.Sprintf(
			"The parameter %q of %s is a time span and must not be negative, but it is %s. Write a duration of zero or more, such as \"90s\".",
			sp.Name, spec.ID, d))
		return nil, false
	}
	if str, ok := out.(string); ok && sp.Enum != nil && !slices.Contains(sp.Enum, str) {
		c.errorf(p.Expr.Range(), "Invalid parameter value", fmt.Sprintf(
			"The parameter %q of %s is one of %s, not %q.%s", sp.Name, spec.ID,
			quotedList(sp.Enum), str, didyoumean.Suffix(str, sp.Enum)))
		return nil, false
	}
	return out, true
}

// quotedList writes values as "a", "b" or "c".
func quotedList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func typeHint(t botapi.ParamType) string {
	switch t {
	case botapi.TypeDuration:
		return ` Write a duration as a string such as "90s" or "1h30m", or a number of seconds.`
	case botapi.TypeStringList:
		return ` Write a list such as ["a", "b"].`
	case botapi.TypeStringMap:
		return ` Write an object such as { key = "value" }.`
	}
	return ""
}

// convertParam converts v to the Go value of t (see botapi.ParamType).
func convertParam(t botapi.ParamType, v cty.Value) (any, error) {
	switch t {
	case botapi.TypeString:
		if !v.Type().IsPrimitiveType() {
			return nil, fmt.Errorf("got %s", v.Type().FriendlyName())
		}
		s, err := convert.Convert(v, cty.String)
		if err != nil {
			return nil, err
		}
		return s.AsString(), nil
	case botapi.TypeInt:
		n, err := number(v)
		if err != nil {
			return nil, err
		}
		if !n.IsInt() {
			return nil, fmt.Errorf("%s is not a whole number", n.Text('g', -1))
		}
		i, _ := n.Int64()
		return i, nil
	case botapi.TypeFloat:
		n, err := number(v)
		if err != nil {
			return nil, err
		}
		f, _ := n.Float64()
		return f, nil
	case botapi.TypeBool:
		if v.Type() != cty.Bool {
			return nil, fmt.Errorf("got %s", v.Type().FriendlyName())
		}
		return v.True(), nil
	case botapi.TypeDuration:
		return duration(v)
	case botapi.TypeStringList:
		l, err := convert.Convert(v, cty.List(cty.String))
		if err != nil || !(v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType()) {
			return nil, fmt.Errorf("got %s", v.Type().FriendlyName())
		}
		out := []string{}
		for it := l.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, e.AsString())
		}
		return out, nil
	case botapi.TypeStringMap:
		m, err := convert.Convert(v, cty.Map(cty.String))
		if err != nil || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
			return nil, fmt.Errorf("got %s", v.Type().FriendlyName())
		}
		out := map[string]string{}
		for it := m.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = e.AsString()
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported parameter type %s", t)
}

func number(v cty.Value) (*big.Float, error) {
	if v.Type() != cty.Number {
		return nil, fmt.Errorf("got %s", v.Type().FriendlyName())
	}
	return v.AsBigFloat(), nil
}

// duration converts a duration string or a number of seconds; the caller
// checks the sign (botapi.Param.Negative).
func duration(v cty.Value) (time.Duration, error) {
	switch v.Type() {
	case cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return time.Duration(f * float64(time.Second)), nil
	case cty.String:
		d, err := time.ParseDuration(v.AsString())
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration", v.AsString())
		}
		return d, nil
	}
	return 0, fmt.Errorf("got %s", v.Type().FriendlyName())
}
