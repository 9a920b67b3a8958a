// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestScratchHTML(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/conformance/intelmq/parsers/html_table/*.json")
	for _, f := range files {
		var c struct {
			Parameters map[string]any
			Input      []map[string]any
			Expected   []struct{ Message map[string]any }
		}
		b, _ := os.ReadFile(f)
		json.Unmarshal(b, &c)
		raw, _ := base64.StdEncoding.DecodeString(c.Input[0]["raw"].(string))
		opt := HTMLTableOptions{SkipRows: 1}
		if s, ok := c.Parameters["attribute_name"].(string); ok {
			opt.AttrName = s
			opt.AttrValue = c.Parameters["attribute_value"].(string)
		}
		r, err := NewHTMLTableReader(string(raw), opt)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		var raws []string
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if len(raws) < 2 {
				t.Logf("%s fields %q", filepath.Base(f), rec.Fields)
			}
			raws = append(raws, rec.Raw)
		}
		for i, e := range c.Expected {
			want, _ := base64.StdEncoding.DecodeString(e.Message["raw"].(string))
			found := false
			for _, r := range raws {
				if r == string(want) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: expected %d raw not found:\n%q\nfirst got:\n%q", filepath.Base(f), i, want, raws[min(i, len(raws)-1)])
			}
		}
	}
}
