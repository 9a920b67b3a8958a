// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// TestNegativeDurationWhereAllowed: a duration parameter whose spec allows
// negative values (the http collector's url_time_offset, "-24h" for
// yesterday's file) keeps its sign, as a string or a number of seconds.
func TestNegativeDurationWhereAllowed(t *testing.T) {
	for _, offset := range []string{`"-24h"`, `-86400`} {
		src := `
feed "f" {
  provider = "Example"
  parser   = parser.p
  collect "http" {
    url             = "https://example.com/{time[%Y-%m-%d]}.txt"
    url_time_offset = ` + offset + `
  }
}

parser "p" {
  lines {
    column = "ip"
  }
  map = { "source.ip" = "ip" }
}
`
		f, diags := lang.NewLoader().Parse("f.hcl", []byte(src))
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		p, diags := Compile([]*lang.File{f}, testEnv(t))
		if diags.HasErrors() {
			t.Fatalf("%s: %s", offset, dump(diags))
		}
		if got := p.Feed("f").Collector.Params.Duration("url_time_offset"); got != -24*time.Hour {
			t.Errorf("url_time_offset = %s: got %v, want -24h", offset, got)
		}
	}
}

// TestCommonRuntimeParams: every bot block takes IntelMQ's common runtime
// parameters with their types; a wrong type is diagnosed.
func TestCommonRuntimeParams(t *testing.T) {
	const good = `
expert "taxonomy" "taxonomy" {
  error_max_retries = 5
  error_retry_delay = "30s"
  error_procedure   = "stop"
  rate_limit        = 2
  load_balance      = true
  batch_size        = 1000
}
`
	f, diags := lang.NewLoader().Parse("good.hcl", []byte(good))
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	p, diags := Compile([]*lang.File{f}, testEnv(t))
	if diags.HasErrors() {
		t.Fatalf("common parameters rejected: %s", dump(diags))
	}
	var params botapi.Params
	for _, b := range p.Bots {
		if b.Type == "expert.taxonomy" {
			params = b.Params
		}
	}
	if params == nil {
		t.Fatal("the plan has no taxonomy expert")
	}
	if got := params.Int("error_max_retries"); got != 5 {
		t.Errorf("error_max_retries = %d, want 5", got)
	}
	if got := params.Duration("error_retry_delay"); got != 30*time.Second {
		t.Errorf("error_retry_delay = %s, want 30s", got)
	}
	if got := params.Duration("rate_limit"); got != 2*time.Second {
		t.Errorf("rate_limit = %s, want 2s", got)
	}
	if got := params.String("error_procedure"); got != "stop" {
		t.Errorf("error_procedure = %q, want stop", got)
	}
	if !params.Bool("load_balance") || params.Int("batch_size") != 1000 {
		t.Errorf("load_balance, batch_size = %v, %d; want true, 1000", params.Bool("load_balance"), params.Int("batch_size"))
	}
	for _, name := range []string{"error_dump_message", "error_log_message"} {
		if _, set := params.(plan.Params)[name]; set {
			t.Errorf("%s is in the plan though not given: it would override the runner's default", name)
		}
	}

	f, diags = lang.NewLoader().Parse("bad.hcl", []byte("expert \"taxonomy\" \"taxonomy\" {\n  error_max_retries = \"five\"\n}\n"))
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	_, diags = Compile([]*lang.File{f}, testEnv(t))
	if !diags.HasErrors() || diags[0].Summary != "Incorrect parameter type" {
		t.Fatalf("error_max_retries = \"five\": got %s, want Incorrect parameter type", dump(diags))
	}
}

// TestFeedWithParserBot: a feed may name a Go parser bot declared in a bot
// block; the plan carries the bot with its checked parameters (its own and
// the parser-wide ones) and the feed's parser node runs it.
func TestFeedWithParserBot(t *testing.T) {
	const src = `
bot "parser.example" "phish" {
  feed           = "phishing"
  default_fields = { "classification.type" = "phishing" }
}

feed "f" {
  provider = "Example"
  parser   = bot.phish
}

output "file" "out" {
  file = "out.jsonl"
}

pipeline "main" {
  feeds = [feed.f]
  route {
    to = [output.out]
  }
}
`
	f, diags := lang.NewLoader().Parse("f.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	p, diags := Compile([]*lang.File{f}, testEnv(t))
	if diags.HasErrors() || len(diags) > 0 {
		t.Fatalf("diagnostics: %s", dump(diags))
	}
	feed := p.Feed("f")
	if feed.Parser != nil || feed.ParserBot == nil {
		t.Fatalf("feed parser = %v, parser bot = %v; want only the bot", feed.Parser, feed.ParserBot)
	}
	pb := feed.ParserBot
	if pb.Type != "parser.example" || pb.Kind != plan.KindParser || pb.Name != "phish" {
		t.Errorf("parser bot = %+v", pb)
	}
	if got := pb.Params.String("feed"); got != "phishing" {
		t.Errorf("feed parameter = %q", got)
	}
	if got := pb.Params.Map(botapi.ParamDefaultFields)["classification.type"]; got != "phishing" {
		t.Errorf("default_fields = %v", pb.Params.Map(botapi.ParamDefaultFields))
	}
	n := p.Node("f-parser")
	if n == nil || n.Kind != plan.KindParser || n.Bot != pb || n.Feed != feed {
		t.Fatalf("parser node = %+v", n)
	}
}
