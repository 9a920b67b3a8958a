// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated parser")

// The corpus's test schema (IntelMQ's schema.json.test) and the parser
// generated from it, which the conformance test replays IntelMQ's
// Shadowserver cases against.
var (
	testSchema = filepath.Join("..", "..", "..", "..", "testdata", "conformance", "intelmq", "support", "intelmq", "bots", "parsers", "shadowserver", "schema.json.test")
	generated  = filepath.Join("..", "..", "..", "..", "testdata", "feeds", "shadowserver", "shadowserver.hcl")
)

// TestGenerated checks that the generated parser is up to date; -update
// rewrites it.
func TestGenerated(t *testing.T) {
	src, err := os.ReadFile(testSchema)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(generated, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(generated)
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != string(out) {
		t.Errorf("%s is not what the generator writes; run go test ./stdlib/feeds/internal/gen-shadowserver -update", generated)
	}
	for _, want := range []string{
		`"test_smb" = {`, `"Test-Accessible-SMB"`, `["extra.smb_implant", "smb_implant", "convert_bool", false]`,
		`["source.port", "port", "convert_int", true]`, `parser "shadowserver_overwrite"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the generated parser lacks %s", want)
		}
	}
	// not_in_idf is not a harmonization field: IntelMQ ignores it.
	if strings.Contains(string(out), "not_in_idf") {
		t.Error("the generated parser fills a field that is not in the harmonization")
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, src := range []string{`[]`, `{"x": {"feed_name": "X"}}`, `{"x": {"file_name": "x", "required_fields": [["source.ip"]]}}`} {
		if _, err := Generate([]byte(src)); err == nil {
			t.Errorf("Generate(%s): no error", src)
		}
	}
}
