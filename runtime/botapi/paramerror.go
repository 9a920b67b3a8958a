// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import (
	"fmt"
	"regexp"

	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// ParamError is an error about one parameter of a bot. A Constructor or a
// Validate that returns one (ParamErrorf, CompileRegexp) lets "intelmq
// validate" point at the parameter's value instead of the bot's block.
type ParamError struct {
	Name string // the parameter
	Err  error
}

// Error returns "name: error".
func (e *ParamError) Error() string { return e.Name + ": " + e.Err.Error() }

// Unwrap returns the error about the value.
func (e *ParamError) Unwrap() error { return e.Err }

// ParamErrorf returns a *ParamError about the parameter name.
func ParamErrorf(name, format string, args ...any) error {
	return &ParamError{Name: name, Err: fmt.Errorf(format, args...)}
}

// CompileRegexp compiles src, the value of the regular expression
// parameter name (Go's RE2 syntax); "" gives nil. A syntax error is a
// *ParamError.
func CompileRegexp(name, src string) (*regexp.Regexp, error) {
	if src == "" {
		return nil, nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, &ParamError{Name: name, Err: err}
	}
	return re, nil
}

// CheckFieldNames returns a *ParamError for the first of names, the value
// of the parameter name, that is not a key of an Event in s (nil: the
// default schema), naming the closest key. A misspelt key in a list such
// as the deduplicator's filter_keys otherwise matches nothing, silently.
func CheckFieldNames(s *harmonization.Schema, name string, names []string) error {
	if s == nil {
		s = harmonization.Default()
	}
	for _, k := range names {
		if _, err := s.Field(harmonization.Event, k); err == nil {
			continue
		}
		hint := ""
		if sug := didyoumean.NameSuggestion(k, s.Keys(harmonization.Event)); sug != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", sug)
		}
		return ParamErrorf(name, "%q is not a field of the harmonization schema%s", k, hint)
	}
	return nil
}
