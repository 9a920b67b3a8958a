// SPDX-License-Identifier: AGPL-3.0-or-later

package all

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

func TestRegister(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"collector.alienvault_otx", "collector.api", "collector.azure",
		"collector.blueliv_crimeserver", "collector.certstream", "collector.eset",
		"collector.file", "collector.fireeye_mas", "collector.github_contents_api", "collector.http", "collector.http_stream",
		"collector.interflow",
		"collector.mail_attach", "collector.mail_body", "collector.mail_url", "collector.opendxl",
		"collector.rsync", "collector.rt",
		"collector.shadowserver_reports_api", "collector.shodan_stream", "collector.stomp",
		"expert.deduplicator", "expert.taxonomy", "expert.url",
		"output.blackhole", "output.file", "output.redis", "output.stdout",
		"parser.cleanmx", "parser.cymru_cap", "parser.fireeye", "parser.malwareurl", "parser.microsoft_ctip",
		"parser.threatminer", "parser.twitter",
	}
	if diff := cmp.Diff(want, r.IDs(0)); diff != "" {
		t.Errorf("registered bots (-want +got):\n%s", diff)
	}
	for _, id := range want {
		if r.Constructor(id) == nil {
			t.Errorf("%s has no constructor", id)
		}
		spec, _ := r.Lookup(id)
		if spec.Doc == "" {
			t.Errorf("%s has no documentation", id)
		}
		for _, p := range spec.Params {
			if p.Doc == "" {
				t.Errorf("%s: parameter %s has no documentation", id, p.Name)
			}
		}
	}
}

func TestRegisterTwice(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	if err := Register(r); !errors.Is(err, botapi.ErrDuplicateID) {
		t.Errorf("second Register: error = %v, want ErrDuplicateID", err)
	}
}

// TestDefaultsConstruct builds every bot from its spec's defaults (with
// the required parameters set), as the runtime does after the compiler
// filled them in.
func TestDefaultsConstruct(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	required := map[string]any{"url": "https://example.com/feed.csv", "path": t.TempDir(),
		"file": t.TempDir() + "/events.txt", "redis_queue": "events",
		"mail_host": "imap.example.org", "mail_user": "reports", "mail_password": "secret",
		"api_key": "key", "secret": "secret", "repository": "owner/repo",
		"rsync_path": "rsync.example.org::feeds/",
		"username":   "user", "password": "secret", "collection": "ei.urls (json)",
		"connection_string": "AccountName=example;AccountKey=a2V5", "container_name": "ctip-c2",
		"server": "n6stream.example.org", "exchange": "/exchange/reports",
		"host": "fireeye.example.org", "http_username": "user", "http_password": "secret",
		"dxl_config_file": "/etc/intelmq/dxlclient.config"}
	for _, spec := range r.Specs() {
		p := botapi.MapParams{}
		for _, param := range spec.Params {
			switch {
			case param.Required:
				p[param.Name] = required[param.Name]
			case param.Default != nil:
				p[param.Name] = param.Default
			}
		}
		bot, err := r.Constructor(spec.ID)(&botapi.Context{ID: "x"}, p)
		if err != nil {
			t.Errorf("%s: %v", spec.ID, err)
			continue
		}
		if v, ok := bot.(botapi.Validator); ok {
			if err := v.Validate(); err != nil {
				t.Errorf("%s: Validate: %v", spec.ID, err)
			}
		}
		roles := 0
		for _, is := range []bool{isA[botapi.Collector](bot), isA[botapi.Processor](bot), isA[botapi.Parser](bot)} {
			if is {
				roles++
			}
		}
		if roles != 1 {
			t.Errorf("%s must be exactly one of Collector, Processor and Parser", spec.ID)
		}
		if spec.Kind == botapi.KindParser && (!isA[botapi.Parser](bot) || spec.IntelMQModule == "") {
			t.Errorf("%s: a parser bot must be a botapi.Parser and name the IntelMQ module it replaces", spec.ID)
		}
	}
}

// isA reports whether b implements T.
func isA[T any](b botapi.Bot) bool {
	_, ok := b.(T)
	return ok
}
