// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// The fuzz targets check, for every type, that Sanitize
//   - does not panic and gives the same answer twice;
//   - returns a value Validate accepts, or an error -- except where IntelMQ's
//     sanitize itself returns a value its is_valid rejects (then add fails
//     with "is_valid returned False." in IntelMQ and with Field.Validate
//     here); each such case is described by the type's invalidOK predicate;
//   - is idempotent on valid results: Sanitize(Sanitize(x)) == Sanitize(x).
//     Base64 is the exception: IntelMQ's sanitize always encodes, so for it
//     the target checks that the result decodes back to the input instead.
//     FQDN is not idempotent in IntelMQ either when removing the dots at the
//     ends uncovers white space ("a ." gives "a ", which is valid and
//     sanitizes to "a"; ". ." gives " ", which then fails); the target
//     allows exactly that case.

// fuzzKinds are the value kinds a fuzz input can take.
const fuzzKinds = 6

// fuzzValue builds a Value of the kind selected by k from the fuzz
// arguments. It reports false for JSON kinds whose text is not valid JSON.
func fuzzValue(k uint8, s string, n int64, x float64, b bool) (Value, bool) {
	switch Kind(k % fuzzKinds) {
	case KindString:
		return String(s), true
	case KindInt:
		return Int(n), true
	case KindFloat:
		return Float(x), true
	case KindBool:
		return Bool(b), true
	case KindJSON:
		if !json.Valid([]byte(s)) {
			return Value{}, false
		}
		t := strings.TrimSpace(s)
		if t == "" || (t[0] != '{' && t[0] != '[' && t != "null") {
			return Value{}, false
		}
		return RawJSON(s), true
	}
	return Value{}, true
}

// fuzzSeeds adds seeds common to all types and the type's own strings.
func fuzzSeeds(f *testing.F, strs ...string) {
	f.Helper()
	common := []string{"", " ", "a", "A b", "0", "1", "-1", "12.5", "true", "ß", "İ", "\u00a0x", "\xff",
		`{"a": 1}`, `[1, "x"]`, "null", "{}"}
	for _, s := range append(common, strs...) {
		f.Add(uint8(KindString), s, int64(0), 0.0, false)
	}
	f.Add(uint8(KindJSON), `{"b": [1, 2.5], "a": null}`, int64(0), 0.0, false)
	f.Add(uint8(KindJSON), `[]`, int64(0), 0.0, false)
	for _, n := range []int64{0, 1, 2, -1, 12, 4294967295, 4294967296, math.MaxInt64, math.MinInt64} {
		f.Add(uint8(KindInt), "", n, 0.0, false)
	}
	for _, x := range []float64{0, 1, 12.7, -12.7, 1e16, 1e-5, 100, math.NaN(), math.Inf(1), 1e300} {
		f.Add(uint8(KindFloat), "", int64(0), x, false)
	}
	f.Add(uint8(KindBool), "", int64(0), 0.0, true)
	f.Add(uint8(KindBool), "", int64(0), 0.0, false)
	f.Add(uint8(KindNone), "", int64(0), 0.0, false)
}

// fuzzSanitize runs the checks described above for the named type.
// invalidOK (nil for none) reports whether an output Validate rejects is one
// IntelMQ's sanitize also returns.
func fuzzSanitize(f *testing.F, name string, invalidOK func(in, out Value) bool) {
	fuzzSanitizeWith(f, name, invalidOK, nil)
}

// fuzzSanitizeWith is fuzzSanitize where notIdempotentOK (nil for none)
// reports whether a valid output that sanitizes to something else, or fails
// to sanitize, is one IntelMQ also changes again.
func fuzzSanitizeWith(f *testing.F, name string, invalidOK func(in, out Value) bool, notIdempotentOK func(out Value) bool) {
	typ, found := TypeByName(name)
	if !found {
		f.Fatalf("no type %q", name)
	}
	f.Fuzz(func(t *testing.T, k uint8, s string, n int64, x float64, b bool) {
		in, usable := fuzzValue(k, s, n, x, b)
		if !usable {
			t.Skip()
		}
		out, err := typ.Sanitize(in)
		out2, err2 := typ.Sanitize(in)
		if (err == nil) != (err2 == nil) || !out.Equal(out2) {
			t.Fatalf("Sanitize(%s) is not deterministic", PyRepr(in))
		}
		if err != nil {
			if !out.IsNone() {
				t.Fatalf("Sanitize(%s) failed but returned %s", PyRepr(in), PyRepr(out))
			}
			return
		}
		valid := typ.Validate(out)
		if !valid && (invalidOK == nil || !invalidOK(in, out)) {
			t.Fatalf("Sanitize(%s %s) = %s, which Validate rejects", in.Kind(), PyRepr(in), PyRepr(out))
		}
		if name == TypeBase64 {
			decoded, err := decodeBase64(out.Str(), true)
			if err != nil || !bytes.Equal(decoded, []byte(in.Str())) {
				t.Fatalf("Base64 Sanitize(%s) = %s does not decode back", PyRepr(in), PyRepr(out))
			}
			return
		}
		if !valid {
			return
		}
		again, err := typ.Sanitize(out)
		if (err != nil || !again.Equal(out)) && notIdempotentOK != nil && notIdempotentOK(out) {
			return
		}
		if err != nil || !again.Equal(out) {
			t.Fatalf("Sanitize is not idempotent: %s -> %s -> %s (%v)", PyRepr(in), PyRepr(out), PyRepr(again), err)
		}
	})
}

// emptyOutput: IntelMQ's string sanitizers strip after the None check, so a
// value of white space only sanitizes to "", which is_valid rejects.
func emptyOutput(_, out Value) bool { return out.Kind() == KindString && out.Str() == "" }

// notAllowed: the enumerated types normalise case and aliases but return
// any other value unchanged for is_valid to reject. Validate must then agree
// with the allowed list.
func notAllowed(name string) func(in, out Value) bool {
	return func(_, out Value) bool {
		typ, _ := TypeByName(name)
		return out.Kind() == KindString && !inSorted(typ.(Enumerated).Allowed(), out.Str())
	}
}

func FuzzSanitizeString(f *testing.F) {
	fuzzSeeds(f, " x ", "\x1c\x1f", "\u3000")
	fuzzSanitize(f, TypeString, emptyOutput)
}

func FuzzSanitizeLowercaseString(f *testing.F) {
	fuzzSeeds(f, "ABC", "ΑΣ ΒΣ", "ΣΑ", "Σ.", "\u212a", "ǅ")
	fuzzSanitize(f, TypeLowercaseString, emptyOutput)
}

func FuzzSanitizeUppercaseString(f *testing.F) {
	fuzzSeeds(f, "abc", "straße", "ﬁ", "ŉ", "ᾳ", "ǰ")
	fuzzSanitize(f, TypeUppercaseString, emptyOutput)
}

func FuzzSanitizeBase64(f *testing.F) {
	fuzzSeeds(f, "aGVsbG8=", "abc", "YQ===x", "!!!!")
	// The empty string encodes to "", which is_valid rejects.
	fuzzSanitize(f, TypeBase64, emptyOutput)
}

func FuzzSanitizeBoolean(f *testing.F) {
	fuzzSeeds(f, " TRUE ", "false", "yes", "falſe")
	fuzzSanitize(f, TypeBoolean, nil)
}

func FuzzSanitizeInteger(f *testing.F) {
	fuzzSeeds(f, " +12 ", "1_000", "١٢", "9223372036854775808", "0x10")
	fuzzSanitize(f, TypeInteger, nil)
}

func FuzzSanitizeASN(f *testing.F) {
	fuzzSeeds(f, "AS1", "as 64496", "As-5", "AS4294967296")
	fuzzSanitize(f, TypeASN, nil)
}

func FuzzSanitizeFloat(f *testing.F) {
	fuzzSeeds(f, "1e3", " 1_000.5 ", "nan", "-inf", "1e400", ".5")
	fuzzSanitize(f, TypeFloat, nil)
}

func FuzzSanitizeAccuracy(f *testing.F) {
	fuzzSeeds(f, "50", "100.5", "-0", "nan")
	fuzzSanitize(f, TypeAccuracy, nil)
}

func FuzzSanitizeClassificationTaxonomy(f *testing.F) {
	fuzzSeeds(f, "Malicious Code", "abusive content", "other", "vulnerable ")
	fuzzSanitize(f, TypeClassificationTaxonomy, notAllowed(TypeClassificationTaxonomy))
}

func FuzzSanitizeClassificationType(f *testing.F) {
	fuzzSeeds(f, "C&C", "Botnet Drone", "unknown", "infected-system", "dropzone")
	fuzzSanitize(f, TypeClassificationType, notAllowed(TypeClassificationType))
}

func FuzzSanitizeDateTime(f *testing.F) {
	fuzzSeeds(f, "2020-03-04T05:06:07+00:00", "2020-03-04T05:06:07.5+00:00", "2020-03-04T05:06:07Z",
		"2020-03-04 05:06:07 +01:00", "Wed, 04 Mar 2020 05:06:07 GMT", "2020-03-04", "0001-01-01T00:00:00-01:00")
	fuzzSanitize(f, TypeDateTime, nil)
}

// fqdnInvalidOK: IntelMQ's FQDN sanitize only strips, encodes and
// lower-cases; it returns IP addresses, names with ":" or URL delimiters,
// and names ending in a dot that came from an ideographic full stop, all of
// which is_valid rejects.
func fqdnInvalidOK(_, out Value) bool {
	s := out.Str()
	if ip, ok := parseIPv4(s); ok && ip != 0 {
		return true
	}
	return strings.ContainsAny(s, ":/?#") || strings.HasSuffix(s, ".")
}

// fqdnStripsAgain: IntelMQ strips white space before it strips the dots,
// so a name like "a ." sanitizes to "a ", whose white space the next
// sanitize removes (and ". ." to " ", which the next sanitize rejects).
// Any output without white space at its ends must be a fixed point.
func fqdnStripsAgain(out Value) bool { return out.Str() != pyStrip(out.Str()) }

func FuzzSanitizeFQDN(f *testing.F) {
	fuzzSeeds(f, "Example.COM.", "bücher.de", "a\u3002", "1.2.3.4", "a:b", "//", "ß.de", "xn--bcher-kva.de", "a .", ". .")
	fuzzSanitizeWith(f, TypeFQDN, fqdnInvalidOK, fqdnStripsAgain)
}

func FuzzSanitizeIPAddress(f *testing.F) {
	fuzzSeeds(f, "1.2.3.4", "1.2.3.4/32", "::ffff:1.2.3.4", "fe80::1%eth0", "16909060",
		"340282366920938463463374607431768211455", "1:0:0:2:0:0:3:4", "::1.2.3.4")
	// 0.0.0.0 is what IntelMQ's sanitize returns for it and for 0.
	fuzzSanitize(f, TypeIPAddress, func(_, out Value) bool { return out.Str() == "0.0.0.0" })
}

func FuzzSanitizeIPNetwork(f *testing.F) {
	fuzzSeeds(f, "10.0.0.1/8", "10.0.0.0/255.0.0.0", "10.0.0.0/0.255.255.255", "fe80::1%eth0/64",
		"fe80::%eth0/64", "::/0", "1.2.3.4/032")
	fuzzSanitize(f, TypeIPNetwork, nil)
}

func FuzzSanitizeJSON(f *testing.F) {
	fuzzSeeds(f, "5", " not json ", `{"a":NaN}`, `"\ud800"`, "[1,")
	fuzzSanitize(f, TypeJSON, nil)
}

// jsonDictInvalidOK: IntelMQ's JSONDict sanitize encodes anything that is
// not a non-empty object as JSON and returns it for is_valid to reject.
func jsonDictInvalidOK(_, out Value) bool {
	ok, obj := pyJSONCheck(out.Str())
	return ok && !obj
}

func FuzzSanitizeJSONDict(f *testing.F) {
	fuzzSeeds(f, `{"a":1}`, ` {"b":1,"a":2} `, "[1]", "{ }")
	fuzzSanitize(f, TypeJSONDict, jsonDictInvalidOK)
}

func FuzzSanitizeRegistry(f *testing.F) {
	fuzzSeeds(f, "ripe-ncc", "RIPENCC", "arin ", "Lacnic")
	fuzzSanitize(f, TypeRegistry, notAllowed(TypeRegistry))
}

func FuzzSanitizeTLP(f *testing.F) {
	fuzzSeeds(f, "tlp:amber", "TLP: Red", "yellow", "clear", "TLP:")
	fuzzSanitize(f, TypeTLP, notAllowed(TypeTLP))
}

func FuzzSanitizeURL(f *testing.F) {
	fuzzSeeds(f, "hxxp://example.com", "file:///etc/passwd", "http://[::1]/", "http://[::1/", "//x",
		"http://a\u2100b/", "\x01http://x", "ht\ttp://x")
	fuzzSanitize(f, TypeURL, nil)
}
