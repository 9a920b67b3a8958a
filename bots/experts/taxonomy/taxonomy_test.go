// SPDX-License-Identifier: AGPL-3.0-or-later

package taxonomy

import (
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// TestConformance replays IntelMQ's own taxonomy expert tests through the
// runner (bottest), one fresh bot per recorded run.
func TestConformance(t *testing.T) {
	for _, c := range conformance.LoadDir(t, "testdata") {
		for i, run := range c.Runs() {
			params, err := conformance.Params(Spec(), run.Parameters)
			if err != nil {
				t.Fatalf("%s run %d: %v", c.Name, i, err)
			}
			res := bottest.Run(t, bottest.Case{Kind: botapi.KindExpert, New: New, Params: params,
				Input: run.Inputs(), Paths: run.Paths()})
			run.CheckResult(t, res)
		}
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		name                   string
		taxonomy, typ          string
		wantTaxonomy, wantType string
	}{
		{"type only", "", "phishing", "fraud", "phishing"},
		{"extension type", "", "dga-domain", "other", "dga-domain"},
		{"british spelling", "", "unauthorised-information-access", "information-content-security", "unauthorised-information-access"},
		{"us spelling", "", "unauthorized-use-of-resources", "fraud", "unauthorized-use-of-resources"},
		{"vulnerable", "", "ddos-amplifier", "vulnerable", "ddos-amplifier"},
		{"test", "", "test", "test", "test"},
		{"neither", "", "", "other", "undetermined"},
		{"taxonomy only", "malicious-code", "", "malicious-code", "undetermined"},
		{"inconsistent pair kept", "fraud", "c2-server", "fraud", "c2-server"},
	}
	for _, tt := range tests {
		msg := message.NewEvent(harmonization.Default())
		if tt.taxonomy != "" {
			mustAdd(t, msg, keyTaxonomy, tt.taxonomy)
		}
		if tt.typ != "" {
			mustAdd(t, msg, keyType, tt.typ)
		}
		if err := Complete(msg); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := msg.GetString(keyTaxonomy); got != tt.wantTaxonomy {
			t.Errorf("%s: taxonomy %q, want %q", tt.name, got, tt.wantTaxonomy)
		}
		if got := msg.GetString(keyType); got != tt.wantType {
			t.Errorf("%s: type %q, want %q", tt.name, got, tt.wantType)
		}
	}
}

// TestEveryTypeHasItsTaxonomy checks the whole §1.5 table.
func TestEveryTypeHasItsTaxonomy(t *testing.T) {
	table := map[string][]string{
		"abusive-content":              {"spam", "harmful-speech", "violence"},
		"availability":                 {"ddos", "dos", "outage", "sabotage", "misconfiguration"},
		"fraud":                        {"copyright", "masquerade", "phishing", "unauthorized-use-of-resources"},
		"information-content-security": {"unauthorised-information-access", "unauthorised-information-modification", "data-loss", "data-leak"},
		"information-gathering":        {"scanner", "sniffing", "social-engineering"},
		"intrusion-attempts":           {"brute-force", "exploit", "ids-alert"},
		"intrusions": {"application-compromise", "burglary", "privileged-account-compromise",
			"system-compromise", "unprivileged-account-compromise"},
		"malicious-code": {"c2-server", "infected-system", "malware-configuration", "malware-distribution"},
		"other":          {"dga-domain", "blacklist", "other", "undetermined", "malware", "proxy", "tor"},
		"test":           {"test"},
		"vulnerable":     {"ddos-amplifier", "information-disclosure", "potentially-unwanted-accessible", "vulnerable-system", "weak-crypto"},
	}
	n := 0
	for taxonomy, types := range table {
		for _, typ := range types {
			n++
			msg := message.NewEvent(harmonization.Default())
			mustAdd(t, msg, keyType, typ)
			if err := Complete(msg); err != nil {
				t.Fatalf("%s: %v", typ, err)
			}
			if got := msg.GetString(keyTaxonomy); got != taxonomy {
				t.Errorf("type %s: taxonomy %q, want %q", typ, got, taxonomy)
			}
		}
	}
	if n != 44 {
		t.Errorf("the table lists %d types, IntelMQ has 44", n)
	}
}

func mustAdd(t *testing.T, msg *message.Message, key, value string) {
	t.Helper()
	if err := msg.AddString(key, value); err != nil {
		t.Fatalf("add %s: %v", key, err)
	}
}
