// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import "testing"

// TestCommonParams: the common runtime parameters form a valid spec and are
// found by name; a caller cannot change the shared declarations.
func TestCommonParams(t *testing.T) {
	s := Spec{ID: "expert.common", Kind: KindExpert, Params: CommonParams()}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	p := CommonParam(ParamErrorMaxRetries)
	if p == nil || p.Type != TypeInt {
		t.Fatalf("CommonParam(error_max_retries) = %+v, want an int parameter", p)
	}
	p.Type = TypeString
	if CommonParam(ParamErrorMaxRetries).Type != TypeInt {
		t.Error("changing a returned parameter changed the declaration")
	}
	if CommonParam("interval") != nil {
		t.Error("interval is a collector's own parameter, not a common one")
	}
}
