// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
)

// checkedBot is an expert whose constructor and Validate refuse
// according to its parameter "mode".
type checkedBot struct{ mode string }

func (b *checkedBot) Validate() error {
	switch b.mode {
	case "bad-value":
		return botapi.ParamErrorf("pattern", "%q does not parse", "(")
	case "bad-combination":
		return errors.New("mode and pattern exclude each other")
	case "panic":
		panic("a bug in the bot")
	}
	return nil
}

func checkEnv(t *testing.T, built *int) *Env {
	t.Helper()
	r := botapi.NewRegistry()
	spec := botapi.Spec{ID: "expert.checked", Kind: botapi.KindExpert, Params: []botapi.Param{
		{Name: "mode", Type: botapi.TypeString, Default: "ok"},
		{Name: "pattern", Type: botapi.TypeString, Default: ""},
	}}
	ctor := func(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
		*built++
		if p.String("mode") == "ctor-error" {
			return nil, botapi.ParamErrorf("mode", "is refused by the constructor")
		}
		return &checkedBot{mode: p.String("mode")}, nil
	}
	if err := r.Register(spec, ctor); err != nil {
		t.Fatal(err)
	}
	return &Env{Bots: r, ExprOptions: funcs.Options()}
}

// TestCheckBot: the compiler builds each Go bot and reports what its
// constructor and Validate refuse, at the value of the parameter a
// botapi.ParamError names, else at the block; a panic is reported, not
// propagated; a placeholder is a warning and the bot is not built.
func TestCheckBot(t *testing.T) {
	tests := []struct {
		body     string
		severity hcl.DiagnosticSeverity
		summary  string
		line     int // of the diagnostic's subject
		detail   string
		built    int
	}{
		{`mode = "ok"`, 0, "", 0, "", 1},
		{"mode = \"bad-value\"\n  pattern = \"(\"", hcl.DiagError, "Invalid parameter value", 3,
			`The bot expert.checked refuses this value of its parameter "pattern": "(" does not parse.`, 1},
		{`mode = "bad-value"`, hcl.DiagError, "Invalid bot configuration", 1,
			`The bot expert.checked refuses this configuration: pattern: "(" does not parse.`, 1},
		{`mode = "bad-combination"`, hcl.DiagError, "Invalid bot configuration", 1,
			"The bot expert.checked refuses this configuration: mode and pattern exclude each other.", 1},
		{`mode = "ctor-error"`, hcl.DiagError, "Invalid parameter value", 2,
			`The bot expert.checked refuses this value of its parameter "mode": is refused by the constructor.`, 1},
		{`mode = "panic"`, hcl.DiagError, "Invalid bot configuration", 1,
			"The bot expert.checked refuses this configuration: its code failed while checking the parameters (a bug in the bot); please report this.", 1},
		{`pattern = "{{ my_pattern }}"`, hcl.DiagWarning, "Placeholder not replaced", 2,
			`The parameter "pattern" of expert.checked holds the placeholder {{ my_pattern }}`, 0},
	}
	for _, tt := range tests {
		built := 0
		src := "expert \"checked\" \"x\" {\n  " + tt.body + "\n}\n"
		file, diags := lang.NewLoader().Parse("check.hcl", []byte(src))
		if diags.HasErrors() {
			t.Fatalf("%s: %s", tt.body, diags.Error())
		}
		_, diags = Compile([]*lang.File{file}, checkEnv(t, &built))
		var got *hcl.Diagnostic
		for _, d := range diags {
			if d.Summary != "Unused expert" {
				got = d
			}
		}
		switch {
		case built != tt.built:
			t.Errorf("%s: the bot was built %d times, want %d", tt.body, built, tt.built)
		case tt.summary == "" && got != nil:
			t.Errorf("%s: unexpected %s: %s", tt.body, got.Summary, got.Detail)
		case tt.summary == "":
		case got == nil:
			t.Errorf("%s: no diagnostic, want %s", tt.body, tt.summary)
		case got.Severity != tt.severity || got.Summary != tt.summary || got.Subject.Start.Line != tt.line ||
			!strings.HasPrefix(got.Detail, tt.detail):
			t.Errorf("%s: got %v %q at line %d: %s\nwant %v %q at line %d: %s", tt.body, got.Severity, got.Summary,
				got.Subject.Start.Line, got.Detail, tt.severity, tt.summary, tt.line, tt.detail)
		}
	}
}
