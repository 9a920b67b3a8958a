// SPDX-License-Identifier: AGPL-3.0-or-later

package cymrucap

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parsertest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// seed reads a sample of IntelMQ's tests from the corpus.
func seed(f *testing.F, name string) string {
	f.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "conformance", "intelmq", name))
	if err != nil {
		f.Fatal(err)
	}
	return string(data)
}

// FuzzParse: any text gives events the harmonization accepts or bad
// records, never a panic or an error.
func FuzzParse(f *testing.F) {
	f.Add(seed(f, "samples/bots/parsers/cymru/certname_20190327.txt"))
	f.Add(seed(f, "samples/bots/parsers/cymru/infected_20171031.txt"))
	p := parsertest.New(f, New, defaults())
	f.Fuzz(func(t *testing.T, text string) {
		if text == "" || text == "-" || text == "N/A" || !utf8.ValidString(text) {
			return
		}
		rec, err := parsertest.ParseText(t, p, "Fuzz", text)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		rec.Decoded(t)
	})
}

// defaults returns the declared defaults of every parameter.
func defaults() botapi.MapParams {
	m := botapi.MapParams{}
	for _, p := range Spec().Params {
		m[p.Name] = p.Default
	}
	return m
}
