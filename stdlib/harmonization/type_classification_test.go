// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClassificationType(t *testing.T) {
	cases := []typeCase{
		ok(S("Botnet Drone"), false, S("infected-system")),
		ok(S("ids alert"), false, S("ids-alert")),
		ok(S("C&C"), false, S("c2-server")),
		ok(S("c2server"), false, S("c2-server")),
		ok(S("infected system"), false, S("infected-system")),
		ok(S("malware configuration"), false, S("malware-configuration")),
		ok(S("Unauthorised-information-access"), false, S("unauthorised-information-access")),
		ok(S("vulnerable client"), false, S("vulnerable-system")),
		ok(S("Vulnerable Service"), false, S("vulnerable-system")),
		ok(S("leak"), false, S("data-leak")),
		ok(S("ransomware"), false, S("infected-system")),
		ok(S("unknown"), false, S("undetermined")),
		ok(S("dga domain"), false, S("dga-domain")),
		ok(S("unauthorized-login"), false, S("system-compromise")),
		ok(S("unauthorized-command"), false, S("system-compromise")),
		ok(S("compromised"), false, S("system-compromise")),
		ok(S("backdoor"), false, S("system-compromise")),
		ok(S("defacement"), false, S("unauthorised-information-modification")),
		ok(S("dropzone"), false, S("other")),
		ok(S(" SPAM "), false, S("spam")),
		ok(S("foo"), false, S("foo")), // not allowed: returned for Validate to reject
		bad(S("  "), false),
		bad(S(""), false),
		bad(Int(1), false),
		bad(Value{}, false),
	}
	typ := mustType(t, TypeClassificationType).(Enumerated)
	for _, v := range typ.Allowed() {
		cases = append(cases, ok(S(v), true, S(v)))
	}
	runTypeCases(t, TypeClassificationType, cases)
}

func TestClassificationTaxonomy(t *testing.T) {
	cases := []typeCase{
		ok(S("Abusive Content"), false, S("abusive-content")),
		ok(S("information gathering"), false, S("information-gathering")),
		ok(S("Intrusion Attempts"), false, S("intrusion-attempts")),
		ok(S(" MALICIOUS CODE "), false, S("malicious-code")),
		ok(S("abusive  content"), false, S("abusive  content")),
		ok(S("Other"), false, S("other")),
		ok(S("spam"), false, S("spam")), // a type, not a taxonomy
		bad(S(""), false),
		bad(Int(1), false),
	}
	typ := mustType(t, TypeClassificationTaxonomy).(Enumerated)
	for _, v := range typ.Allowed() {
		cases = append(cases, ok(S(v), true, S(v)))
	}
	runTypeCases(t, TypeClassificationTaxonomy, cases)
}

func TestClassificationAllowed(t *testing.T) {
	types := mustType(t, TypeClassificationType).(Enumerated).Allowed()
	taxonomies := mustType(t, TypeClassificationTaxonomy).(Enumerated).Allowed()
	if len(types) != 44 || len(taxonomies) != 11 {
		t.Fatalf("got %d types and %d taxonomies, want 44 and 11", len(types), len(taxonomies))
	}
	if !sort.StringsAreSorted(types) || !sort.StringsAreSorted(taxonomies) {
		t.Error("Allowed() is not sorted")
	}
	types[0] = "changed"
	if mustType(t, TypeClassificationType).(Enumerated).Allowed()[0] == "changed" {
		t.Error("Allowed() returns shared storage")
	}
	// Every taxonomy is reached by some type, and every type maps to a
	// valid taxonomy.
	reached := map[string]int{}
	for _, typ := range mustType(t, TypeClassificationType).(Enumerated).Allowed() {
		tax := TaxonomyOf(typ)
		if !inSorted(taxonomies, tax) {
			t.Errorf("TaxonomyOf(%q) = %q, not an allowed taxonomy", typ, tax)
		}
		reached[tax]++
	}
	want := map[string]int{
		"abusive-content": 3, "availability": 5, "fraud": 4, "information-content-security": 4,
		"information-gathering": 3, "intrusion-attempts": 3, "intrusions": 5, "malicious-code": 4,
		"other": 7, "test": 1, "vulnerable": 5,
	}
	if diff := cmp.Diff(want, reached); diff != "" {
		t.Errorf("types per taxonomy (-want +got):\n%s", diff)
	}
}

func TestTaxonomyOf(t *testing.T) {
	tests := map[string]string{
		"infected-system":               "malicious-code",
		"c2-server":                     "malicious-code",
		"dga-domain":                    "other",
		"malware":                       "other",
		"unauthorized-use-of-resources": "fraud",
		"data-leak":                     "information-content-security",
		"ddos-amplifier":                "vulnerable",
		"test":                          "test",
		"unknown-type":                  "other",
		"":                              "other",
		"Infected-System":               "other", // the expert does not lower-case
	}
	for typ, want := range tests {
		if got := TaxonomyOf(typ); got != want {
			t.Errorf("TaxonomyOf(%q) = %q, want %q", typ, got, want)
		}
	}
}
