// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"encoding/hex"
	"errors"
	"testing"
)

func TestBase64(t *testing.T) {
	runTypeCases(t, TypeBase64, []typeCase{
		// Sanitize always encodes, so a valid value is encoded again.
		ok(S("aGVsbG8="), true, S("YUdWc2JHOD0=")),
		ok(S("hello"), false, S("aGVsbG8=")),
		ok(S("abcd"), true, S("YWJjZA==")),
		ok(S("!!!!"), true, S("ISEhIQ==")),        // no alphabet characters: decodes to nothing, valid
		ok(S("a b c d"), true, S("YSBiIGMgZA==")), // spaces are skipped when decoding
		ok(S("abc"), false, S("YWJj")),            // padding error: IntelMQ raises, Validate says false
		ok(S("YQ"), false, S("WVE=")),
		ok(S("YQ=="), true, S("WVE9PQ==")),
		ok(S("YQ===x"), true, S("WVE9PT14")), // decoding stops after the padding
		ok(S("ß"), true, S("w58=")),          // non-ASCII bytes are skipped too
		ok(S("\xff"), true, S("/w==")),       // bytes are encoded as they are
		ok(S(" "), true, S("IA==")),
		ok(S(""), false, S("")), // "" encodes to "", which Validate rejects
		bad(Int(5), false),
		bad(Bool(true), false),
		bad(Value{}, false),
	})
}

func TestBase64Decode(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"aGVsbG8=", "hello", nil},
		{"aGVs\nbG8=", "hello", nil},
		{"aGVsbG8", "", ErrBase64Padding},
		{"Y", "", ErrBase64Padding},
		{"YQ==YQ==", "a", nil},
		{"Y=Q==", "a", nil},
		{"====", "", nil},
		{"/w==", "", nil},                 // the invalid UTF-8 byte 0xff is dropped
		{"w59h", "ßa", nil},               // valid UTF-8 is kept
		{"4oJh", "a", nil},                // a truncated sequence (e2 82) is dropped
		{"Zm9v\u00e9YmFy", "foobar", nil}, // non-ASCII input characters are skipped
	}
	for _, tt := range tests {
		got, err := Base64Decode(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Base64Decode(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// Expected results from CPython 3.11:
//
//	python3 -c 'import base64; print(base64.b64decode(s.encode()).hex())'
//
// (IntelMQ's base64_decode is b64decode of the UTF-8 bytes.)
func TestBase64DecodeBytes(t *testing.T) {
	tests := []struct {
		in, hex string
		err     error
	}{
		{"Cg==", "0a", nil},
		{"Zm9v", "666f6f", nil},
		{"Zm9vYg==", "666f6f62", nil},
		{"Zm9vYmE=", "666f6f6261", nil},
		{"Zm9vYmFy", "666f6f626172", nil},
		{"Zm9vYg", "", ErrBase64Padding},
		{"Zm9vYmE", "", ErrBase64Padding},
		{"Zm9vY", "", ErrBase64Length},
		{"!!!!", "", nil},
		{"a b c d", "69b71d", nil},
		{"Zm9v\nYmFy", "666f6f626172", nil},
		{"Zm9v==YmFy", "666f6f626172", nil},
		{"ab=c=", "69b7", nil},
		{"Zm=9v", "666f6f", nil},
		{"Zm9vYg==Zm9v", "666f6f62", nil},
		{"=Zm9v", "666f6f", nil},
		{"Zm9vYg=", "", ErrBase64Padding},
		{"Zm9vYg===", "666f6f62", nil},
		{"Z===", "", ErrBase64Length},
		{"Zm9vYmFyé", "666f6f626172", nil},
		{"", "", nil},
		{"YQ", "", ErrBase64Padding},
		{"YQ=", "", ErrBase64Padding},
		{"YWI", "", ErrBase64Padding},
		{"-_-_", "", nil},
		{"Zg==Zg==", "66", nil},
		{"Zm8=YQ==", "666f", nil},
	}
	for _, tt := range tests {
		got, err := Base64DecodeBytes(tt.in)
		// ErrBase64Length wraps ErrBase64Padding: the padding cases must
		// not be length errors.
		wrongKind := tt.err == ErrBase64Padding && errors.Is(err, ErrBase64Length)
		if !errors.Is(err, tt.err) || wrongKind || (err == nil && hex.EncodeToString(got) != tt.hex) {
			t.Errorf("Base64DecodeBytes(%q) = %x, %v; want %s, %v", tt.in, got, err, tt.hex, tt.err)
		}
	}
}
