// SPDX-License-Identifier: AGPL-3.0-or-later

package pyformat

import (
	"testing"
	"time"
)

// FuzzTemplate checks that parsing never panics and that a parsed
// template renders with every field bound.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"/tmp/{event[feed.name]}/{event[time.source]:%Y-%m-%d}.json", "{{x}}", "{event[a]!r:>10}",
		"{event[x]:05d}", "}", "{", "{event[}"} {
		f.Add(s)
	}
	args := map[string]any{"event": anyMapping{}, "time": anyMapping{}}
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := Parse(s)
		if err != nil {
			return
		}
		_, _ = tmpl.Execute(args)
	})
}

// anyMapping returns a time for every key.
type anyMapping struct{}

func (anyMapping) Lookup(string) (any, error) {
	return time.Date(2024, 3, 5, 7, 8, 9, 10, time.UTC), nil
}

// FuzzFormatValue checks that formatting never panics, whatever the spec.
func FuzzFormatValue(f *testing.F) {
	for _, s := range []string{"", ">5", "*^7", ".3", "05d", "+x", "#X", ",", "_b", ".2f", "%", "e", "g", "=+8.2f", "c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		for _, v := range []any{"text", int64(-42), 3.25, true, nil} {
			_, _ = FormatValue(v, spec)
		}
		_ = Strftime(time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC), spec)
	})
}
