// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"errors"
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func TestRaw(t *testing.T) {
	m := NewEvent(nil)
	if _, err := m.RawBytes(); errKind(err) != "KeyNotExists" {
		t.Errorf("RawBytes without raw: %v", err)
	}
	steps := []struct {
		name    string
		set     func() error
		wantRaw string // "" means no raw field
		wantErr string
	}{
		{"text", func() error { return SetRawText(m, "hello\n") }, "aGVsbG8K", ""},
		{"bytes replace", func() error { return SetRawText(m, []byte{'a', 0xff, 'b'}) }, "Yf9i", ""},
		{"empty bytes are invalid", func() error { return SetRawText(m, []byte{}) }, "Yf9i", "InvalidValue"},
		{"ignored text deletes", func() error { return SetRawText(m, "-") }, "", ""},
		{"non-ASCII text", func() error { return SetRawText(m, "é😀") }, "w6nwn5iA", ""},
	}
	for _, st := range steps {
		if got := errKind(st.set()); got != st.wantErr {
			t.Fatalf("%s: error %q, want %q", st.name, got, st.wantErr)
		}
		if got := m.GetString("raw"); got != st.wantRaw {
			t.Fatalf("%s: raw = %q, want %q", st.name, got, st.wantRaw)
		}
	}
	if err := SetRawText(m, []byte{'a', 0xff, 'b'}); err != nil {
		t.Fatal(err)
	}
	if b, err := m.RawBytes(); err != nil || string(b) != "a\xffb" {
		t.Errorf("RawBytes = %q, %v", b, err)
	}
	if s, err := m.RawText(); err != nil || s != "ab" {
		t.Errorf("RawText = %q, %v (invalid UTF-8 must be dropped)", s, err)
	}
	m.put("raw", str("Zm9vY")) // unreachable through Add once Base64 validates
	if _, err := m.RawText(); !errors.Is(err, harmonization.ErrBase64Length) {
		t.Errorf("RawText of bad base64: %v", err)
	}
}

func TestSetRawTextIn(t *testing.T) {
	var arena harmonization.Arena
	for _, text := range []string{"line 1", "", "-", "N/A", "ü\x00\xff", "a,b,c\r\n"} {
		want, got := NewEvent(nil), NewEvent(nil)
		for _, m := range []*Message{want, got} {
			if err := m.AddString("raw", "b2xk"); err != nil { // an existing raw is replaced or deleted
				t.Fatal(err)
			}
		}
		wantErr := SetRawText(want, text)
		gotErr := SetRawTextIn(got, text, &arena)
		if (wantErr == nil) != (gotErr == nil) || got.String() != want.String() {
			t.Errorf("%q: SetRawTextIn gave %s (%v), SetRawText %s (%v)", text, got, gotErr, want, wantErr)
		}
	}
}
