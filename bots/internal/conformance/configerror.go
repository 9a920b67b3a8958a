// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"errors"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// ConfigError builds a bot from raw parameters (converted by Params) as
// "intelmq validate" does, with an empty Context, and returns what its
// Constructor or its Validate refuses, nil when both accept. Parameters
// Params refuses fail t.
func ConfigError(t testing.TB, spec botapi.Spec, ctor botapi.Constructor, raw map[string]any) error {
	t.Helper()
	p, err := Params(spec, raw)
	if err != nil {
		t.Fatalf("%v: %v", raw, err)
	}
	return botapi.Check(ctor, &botapi.Context{}, p)
}

// CheckParamError fails t unless err is a refusal about the parameter
// param (a *botapi.ParamError naming it, whose text starts with the name)
// or, for param "", a refusal about the configuration as a whole (not a
// *botapi.ParamError). label names the case in the failure.
func CheckParamError(t testing.TB, label string, err error, param string) {
	t.Helper()
	var pe *botapi.ParamError
	switch {
	case err == nil:
		t.Errorf("%s: accepted", label)
	case param == "" && errors.As(err, &pe):
		t.Errorf("%s: %v is about the parameter %q, want an error about the configuration", label, err, pe.Name)
	case param != "" && !errors.As(err, &pe):
		t.Errorf("%s: %v is not a *botapi.ParamError", label, err)
	case param != "" && pe.Name != param:
		t.Errorf("%s: %v is about the parameter %q, want %q", label, err, pe.Name, param)
	case param != "" && !strings.HasPrefix(err.Error(), param+": "):
		t.Errorf("%s: %q does not start with the parameter's name", label, err)
	}
}
