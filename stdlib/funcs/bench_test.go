// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"testing"

	"github.com/expr-lang/expr"
)

func BenchmarkMapping(b *testing.B) {
	env := map[string]any{
		"first_seen": "2020-03-04 05:06:07",
		"seen":       1580000000123,
		"category":   "Botnet",
		"url":        "hxxp://evil[.]example[.]com:8080/path",
		"ip":         "192.0.2.1",
		"types":      map[string]any{"botnet": "infected-system", "scanner": "scanner"},
	}
	for _, tc := range []struct{ name, src string }{
		{"time", `utcTime(first_seen + " UTC")`},
		{"layout", `parseTime(first_seen, "%Y-%m-%d %H:%M:%S")`},
		{"millis", `fromEpochMillis(seen)`},
		{"lookup", `lookup(types, lower(category), "undetermined")`},
		{"regex", `regexExtract(url, "^[a-z]+://([^/:]+)", 1)`},
		{"url", `urlHost(refang(url))`},
		{"route", `ipInNetwork(ip, "10.0.0.0/8") || isPrivateIP(ip)`},
	} {
		prog, err := expr.Compile(tc.src, append([]expr.Option{expr.Env(env)}, Options()...)...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := expr.Run(prog, env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
