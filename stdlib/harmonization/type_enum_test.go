// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRegistry(t *testing.T) {
	runTypeCases(t, TypeRegistry, []typeCase{
		ok(S("RIPE"), true, S("RIPE")),
		ok(S("AFRINIC"), true, S("AFRINIC")),
		ok(S("ripe"), false, S("RIPE")),
		ok(S("RIPENCC"), false, S("RIPE")),
		ok(S("ripe-ncc"), false, S("RIPE")),
		ok(S("arin "), false, S("ARIN")),
		ok(S("afrinic\u00a0"), false, S("AFRINIC")),
		ok(S("foo"), false, S("FOO")), // returned for Validate to reject
		ok(S("  "), false, S("")),
		bad(S(""), false),
		bad(Int(1), false),
		bad(Value{}, false),
	})
	if diff := cmp.Diff([]string{"AFRINIC", "APNIC", "ARIN", "LACNIC", "RIPE"},
		mustType(t, TypeRegistry).(Enumerated).Allowed()); diff != "" {
		t.Errorf("Allowed() (-want +got):\n%s", diff)
	}
}

func TestTLP(t *testing.T) {
	runTypeCases(t, TypeTLP, []typeCase{
		ok(S("AMBER"), true, S("AMBER")),
		ok(S("WHITE"), true, S("WHITE")),
		ok(S("amber"), false, S("AMBER")),
		ok(S("tlp:amber"), false, S("AMBER")),
		ok(S("TLP: Red"), false, S("RED")),
		ok(S("TLPWHITE"), false, S("WHITE")),
		ok(S("tlp red"), false, S("RED")),
		ok(S("tlp:\u00a0green"), false, S("GREEN")),
		ok(S("yellow"), false, S("AMBER")),
		ok(S("TLP:YELLOW"), false, S("AMBER")),
		ok(S("TLP:TLP:RED"), false, S("TLP:RED")), // only one prefix is removed
		ok(S("TLP::RED"), false, S(":RED")),
		ok(S("clear"), false, S("CLEAR")), // TLP 2.0 CLEAR is rejected by Validate
		ok(S("CLEAR"), false, S("CLEAR")),
		ok(S("TLP:"), false, S("")),
		bad(S("  "), false),
		bad(S(""), false),
		bad(Int(1), false),
	})
	if diff := cmp.Diff([]string{"AMBER", "GREEN", "RED", "WHITE"},
		mustType(t, TypeTLP).(Enumerated).Allowed()); diff != "" {
		t.Errorf("Allowed() (-want +got):\n%s", diff)
	}
}
