// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// TestAddCheckedAgreesWithAddField adds values of many kinds to fields of
// many types, on an empty message and on one that has the key, with every
// overwrite mode, both through AddField and, when Checked accepts the
// value, through AddChecked, and compares the results and the messages.
func TestAddCheckedAgreesWithAddField(t *testing.T) {
	s := harmonization.Default()
	keys := []string{"source.ip", "source.port", "time.source", "malware.name", "extra.status", "extra",
		"classification.type", "source.url", "raw", "feed.accuracy", "source.asn", "protocol.application"}
	values := []harmonization.Value{
		harmonization.String("192.0.2.1"), harmonization.String(" 192.0.2.1 "), harmonization.String("443"),
		harmonization.String("2021-01-17 07:44:46 UTC"), harmonization.String("2021-01-17T07:44:46+00:00"),
		harmonization.String("Dridex"), harmonization.String("dridex"), harmonization.String("Tr\x01ck"),
		harmonization.String("-"), harmonization.String(""), harmonization.String("c2-server"),
		harmonization.String("http://example.com/"), harmonization.String("\xff"), harmonization.String(`{"a": 1}`),
		harmonization.RawJSON(`{"a": 1}`), harmonization.Int(80), harmonization.Float(50),
		harmonization.String("ünïcödé"), {},
	}
	existing := harmonization.String("x")
	checked := 0
	for _, key := range keys {
		f, err := s.LookupField(harmonization.Event, key)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		for _, v := range values {
			for _, sanitize := range []bool{true, false} {
				cv, ok := Checked(f, v, sanitize)
				if !ok {
					continue
				}
				checked++
				for _, pre := range []bool{false, true} {
					for _, ow := range []Overwrite{OverwriteDefault, OverwriteNo, OverwriteYes} {
						want, got := NewEvent(s), NewEvent(s)
						if pre {
							want.put(key, existing)
							got.put(key, existing)
						}
						o := AddOptions{Overwrite: ow, NoSanitize: !sanitize}
						wok, werr := want.AddField(f, key, v, o)
						gok, gerr := got.AddChecked(f, key, cv, ow)
						if wok != gok || (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) ||
							!want.Equal(got) || want.String() != got.String() {
							t.Errorf("%s = %v (sanitize %v, existing %v, overwrite %d): AddField %v, %v, %s; AddChecked %v, %v, %s",
								key, v, sanitize, pre, ow, wok, werr, want, gok, gerr, got)
						}
					}
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("Checked accepted only %d values", checked)
	}
	// What Checked refuses: ignored values, JSONDict fields, invalid values.
	extra, _ := s.LookupField(harmonization.Event, "extra")
	ip, _ := s.LookupField(harmonization.Event, "source.ip")
	for _, tt := range []struct {
		f *harmonization.Field
		v harmonization.Value
	}{{ip, harmonization.String("-")}, {ip, harmonization.Value{}}, {extra, harmonization.String(`{"a": 1}`)},
		{ip, harmonization.String("bogus")}, {nil, harmonization.String("x")}} {
		if _, ok := Checked(tt.f, tt.v, true); ok {
			t.Errorf("Checked(%v, %v) accepted", tt.f, tt.v)
		}
	}
}

// TestHasFieldAgreesWithHas compares HasField with Has for plain and
// JSONDict keys, present and absent.
func TestHasFieldAgreesWithHas(t *testing.T) {
	s := harmonization.Default()
	m := NewEvent(s)
	for _, key := range []string{"raw", "extra", "source.ip", "extra.a"} {
		f, err := s.LookupField(harmonization.Event, key)
		if err != nil {
			f = nil
		}
		for _, set := range []string{"", "raw", "extra.a", "source.ip"} {
			m.Reset()
			if set != "" {
				m.put(set, harmonization.String("x"))
			}
			if got, want := m.HasField(f, key), m.Has(key); got != want {
				t.Errorf("with %q set, HasField(%q) = %v, Has = %v", set, key, got, want)
			}
		}
	}
}
