// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/lang"
)

// generateFeeds writes n feeds, each with its own CSV parser of six
// columns, one pipeline over all of them, and two outputs: the shape of a
// CERT's configuration.
func generateFeeds(n int) string {
	var b strings.Builder
	var refs []string
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `feed "feed%[1]d" {
  provider = "Provider %[1]d"
  collect "http" {
    url      = "https://example.com/feed%[1]d.csv"
    interval = "1h"
  }
  parser = parser.parser%[1]d
}

parser "parser%[1]d" {
  csv {
    comment = "#"
    columns = ["first_seen", "dst_ip", "dst_port", "c2_status", "last_online", "malware"]
  }
  set = {
    "classification.type" = "c2-server"
  }
  map = {
    "time.source"  = "parseTime(first_seen, '%%Y-%%m-%%d %%H:%%M:%%S')"
    "source.ip"    = "dst_ip"
    "source.port"  = "toInt(dst_port)"
    "malware.name" = "lower(malware)"
    "extra.status" = "c2_status"
  }
  optional = {
    "extra.last_online" = "last_online != '' ? last_online : nil"
  }
}

`, i)
		refs = append(refs, fmt.Sprintf("feed.feed%d", i))
	}
	fmt.Fprintf(&b, `expert "taxonomy" "taxonomy" {}

output "file" "malware" {
  file = "/tmp/malware.jsonl"
}

output "file" "rest" {
  file = "/tmp/rest.jsonl"
}

pipeline "main" {
  feeds   = [%s]
  experts = [expert.taxonomy]
  route {
    when = "classification.taxonomy == 'malicious-code' && source.port != 22"
    to   = [output.malware]
  }
  route {
    to = [output.rest]
  }
}
`, strings.Join(refs, ", "))
	return b.String()
}

func TestGeneratedFeedsCompile(t *testing.T) {
	src := generateFeeds(3)
	file, diags := lang.NewLoader().Parse("gen.hcl", []byte(src))
	p, more := Compile([]*lang.File{file}, testEnv(t))
	if diags = append(diags, more...); len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", dump(diags))
	}
	if len(p.Feeds) != 3 || len(p.Nodes) != 3*2+3 {
		t.Errorf("%d feeds, %d nodes", len(p.Feeds), len(p.Nodes))
	}
}

// BenchmarkValidate100Feeds measures what `intelmq validate` does for 100
// feeds: parse, decode and compile (goal: under 300 ms).
func BenchmarkValidate100Feeds(b *testing.B) {
	src := []byte(generateFeeds(100))
	env := testEnv(b)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		file, diags := lang.NewLoader().Parse("gen.hcl", src)
		if _, more := Compile([]*lang.File{file}, env); len(diags)+len(more) > 0 {
			b.Fatal(append(diags, more...))
		}
	}
	// CPU time includes the garbage collector's other threads; on a busy
	// shared machine it is steadier than the wall time of ns/op.
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}
