// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultSchemaFields(t *testing.T) {
	s := Default()
	events, reports := s.Fields(Event), s.Fields(Report)
	if len(events) != 82 || len(reports) != 10 {
		t.Fatalf("got %d event and %d report fields, want 82 and 10", len(events), len(reports))
	}
	histogram := map[string]int{}
	for _, f := range events {
		histogram[f.Type.Name()]++
	}
	want := map[string]int{
		TypeString: 29, TypeLowercaseString: 7, TypeFQDN: 6, TypeUppercaseString: 5, TypeURL: 5,
		TypeDateTime: 4, TypeFloat: 4, TypeIPAddress: 4, TypeInteger: 3, TypeASN: 2, TypeIPNetwork: 2,
		TypeRegistry: 2, TypeBoolean: 2, TypeClassificationTaxonomy: 1, TypeClassificationType: 1,
		TypeJSONDict: 1, TypeAccuracy: 1, TypeJSON: 1, TypeBase64: 1, TypeTLP: 1,
	}
	if diff := cmp.Diff(want, histogram); diff != "" {
		t.Errorf("event field types (-want +got):\n%s", diff)
	}
	var reportKeys []string
	for _, r := range reports {
		reportKeys = append(reportKeys, r.Key)
		e, err := s.Field(Event, r.Key)
		if err != nil {
			t.Errorf("report field %s is not an event field", r.Key)
			continue
		}
		if e.Type.Name() != r.Type.Name() || e.Length != r.Length || e.RegexText != r.RegexText || e.IRegexText != r.IRegexText {
			t.Errorf("report field %s differs from the event field", r.Key)
		}
	}
	if diff := cmp.Diff([]string{"extra", "feed.accuracy", "feed.code", "feed.documentation", "feed.name",
		"feed.provider", "feed.url", "raw", "rtir_id", "time.observation"}, reportKeys); diff != "" {
		t.Errorf("report keys (-want +got):\n%s", diff)
	}
	for _, f := range append(events, reports...) {
		if f.Description == "" {
			t.Errorf("field %s has no description", f.Key)
		}
		if (f.RegexText != "") != (f.Regex != nil) || (f.IRegexText != "") != (f.IRegex != nil) {
			t.Errorf("field %s: regex text and compiled regex disagree", f.Key)
		}
	}
}

func TestSchemaConstraints(t *testing.T) {
	s := Default()
	tests := []struct {
		key     string
		length  int
		regex   string
		iregex  bool
		typName string
	}{
		{"source.port", 5, "", false, TypeInteger},
		{"destination.port", 0, "", false, TypeInteger},
		{"feed.code", 100, "", false, TypeString},
		{"classification.taxonomy", 100, "", false, TypeClassificationTaxonomy},
		{"source.geolocation.cc", 2, `^[a-zA-Z0-9]{2}$`, false, TypeUppercaseString},
		{"source.geolocation.cymru_cc", 2, `^[a-zA-Z0-9]{2}$`, false, TypeUppercaseString},
		{"destination.fqdn", 0, `^.*[^\.]$`, false, TypeFQDN},
		{"event_hash", 40, `^[A-F0-9./]+$`, false, TypeUppercaseString},
		{"malware.hash.md5", 200, `^[ -~]+$`, false, TypeString},
		{"protocol.transport", 11, "", true, TypeLowercaseString},
		{"source.registry", 7, "", false, TypeRegistry},
		{"misp.event_uuid", 36, `^[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[0-9a-z]{12}$`, false, TypeLowercaseString},
	}
	for _, tt := range tests {
		f, err := s.Field(Event, tt.key)
		if err != nil {
			t.Errorf("Field(%q): %v", tt.key, err)
			continue
		}
		if f.Length != tt.length || f.RegexText != tt.regex || (f.IRegex != nil) != tt.iregex || f.Type.Name() != tt.typName {
			t.Errorf("Field(%q) = length %d regex %q iregex %v type %s", tt.key, f.Length, f.RegexText, f.IRegex != nil, f.Type.Name())
		}
	}
}

func TestSchemaKeys(t *testing.T) {
	s := Default()
	tests := []struct {
		typ     MessageType
		key     string
		subItem bool
		reason  string // "" when the key is valid
	}{
		{Event, "source.ip", false, ""},
		{Event, "extra", false, ""},
		{Event, "extra.foo", true, ""},
		{Event, "extra.foo.bar_2", true, ""},
		{Event, "extra._x", true, ""},
		{Event, "extra.1", true, ""},
		{Event, "extra.foo\n", true, ""}, // Python's re.match: "$" before a final newline
		{Event, "extra.Foo", false, "Does not match regular expression ^[a-z_][a-z_0-9]+(\\.[a-z_0-9]+)*$"},
		{Event, "extra.", false, "Does not match regular expression ^[a-z_][a-z_0-9]+(\\.[a-z_0-9]+)*$"},
		{Event, "extra.a..b", false, "Does not match regular expression ^[a-z_][a-z_0-9]+(\\.[a-z_0-9]+)*$"},
		{Event, "extra.a-b", false, "Does not match regular expression ^[a-z_][a-z_0-9]+(\\.[a-z_0-9]+)*$"},
		{Event, "source.foo", false, "This key is not allowed by the harmonization configuration"},
		{Event, "source", false, "This key is not allowed by the harmonization configuration"},
		{Event, "comment.foo", false, "This key is not allowed by the harmonization configuration"},
		{Event, "Source.IP", false, "This key is not allowed by the harmonization configuration"},
		{Event, "foo", false, "This key is not allowed by the harmonization configuration"},
		{Event, "", false, "This key is not allowed by the harmonization configuration"},
		{Report, "raw", false, ""},
		{Report, "extra.file_name", true, ""},
		{Report, "source.ip", false, "This key is not allowed by the harmonization configuration"},
	}
	for _, tt := range tests {
		f, err := s.Field(tt.typ, tt.key)
		if tt.reason == "" {
			if err != nil {
				t.Errorf("Field(%s, %q): %v", tt.typ, tt.key, err)
			} else if f.SubItem != tt.subItem || f.Key != tt.key {
				t.Errorf("Field(%s, %q) = key %q sub-item %v", tt.typ, tt.key, f.Key, f.SubItem)
			}
			continue
		}
		var keyErr *InvalidKeyError
		if !errors.As(err, &keyErr) || !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Field(%s, %q) error = %v, want an InvalidKeyError", tt.typ, tt.key, err)
			continue
		}
		if keyErr.Key != tt.key || keyErr.Reason != tt.reason {
			t.Errorf("Field(%s, %q) = key %q reason %q, want reason %q", tt.typ, tt.key, keyErr.Key, keyErr.Reason, tt.reason)
		}
	}
	if s.Has(Event, "extra.foo") || !s.Has(Event, "extra") {
		t.Error("Has should report only the schema's own fields")
	}
}

func TestFieldValidate(t *testing.T) {
	s := Default()
	tests := []struct {
		key    string
		value  Value
		reason string // "" when valid
	}{
		{"source.port", Int(65535), ""},
		{"source.port", Int(123456), "too long: 6 > 5."},
		{"source.port", Int(-1234), ""},
		{"source.port", Int(-12345), "too long: 6 > 5."},
		{"destination.port", Int(123456), ""},
		{"source.port", S("80"), ReasonInvalid},
		{"source.geolocation.cc", S("DE"), ""},
		{"source.geolocation.cc", S("D"), ReasonRegex},
		{"source.geolocation.cc", S("DEU"), "too long: 3 > 2."},
		{"source.geolocation.cc", S("D\n"), ReasonRegex},
		{"source.geolocation.cc", S("de"), ReasonInvalid},
		{"source.geolocation.cc", S("É1"), ReasonRegex},
		{"destination.fqdn", S("example.com"), ""},
		{"event_hash", S("ABC./0"), ""},
		{"event_hash", S(strings.Repeat("A", 41)), "too long: 41 > 40."},
		{"event_hash", S("ÄB"), ReasonRegex},
		{"malware.hash.md5", S("d41d8cd98f00b204e9800998ecf8427e"), ""},
		{"malware.hash.md5", S("tab\there"), ReasonRegex},
		{"malware.name", S("zeus"), ""},
		{"malware.name", S("zeus\n"), ""}, // Python's "$" matches before a final newline
		{"destination.fqdn", S("a.\n"), ""},
		{"malware.name", S("zeus\u00e9"), ReasonRegex},
		{"protocol.transport", S("tcp"), ""},
		{"protocol.transport", S("ipv6-icmp"), ""},
		{"protocol.transport", S("tp++"), ""},
		{"protocol.transport", S("quic"), ReasonRegexNoCase},
		{"protocol.transport", S("TCP"), ReasonInvalid},
		{"protocol.transport", S("sscopmce-xyz"), "too long: 12 > 11."},
		{"misp.event_uuid", S("01234567-89ab-cdef-0123-456789abcdef"), ""},
		{"misp.event_uuid", S("01234567-89ab-cdef-0123-456789abcdeg0"), "too long: 37 > 36."},
		{"misp.event_uuid", S("01234567_89ab-cdef-0123-456789abcdef"), ReasonRegex},
		{"feed.code", S(strings.Repeat("é", 100)), ""}, // characters, not bytes
		{"feed.code", S(strings.Repeat("é", 101)), "too long: 101 > 100."},
		{"classification.taxonomy", S("malicious-code"), ""},
		{"feed.accuracy", Bool(true), ""},
		{"extra.anything", RawJSON(`{"a": [1]}`), ""},
	}
	for _, tt := range tests {
		f, err := s.Field(Event, tt.key)
		if err != nil {
			t.Fatalf("Field(%q): %v", tt.key, err)
		}
		err = f.Validate(tt.value)
		if tt.reason == "" {
			if err != nil {
				t.Errorf("%s: Validate(%s) = %v", tt.key, PyRepr(tt.value), err)
			}
			continue
		}
		var valErr *InvalidValueError
		if !errors.As(err, &valErr) || !errors.Is(err, ErrInvalidValue) {
			t.Errorf("%s: Validate(%s) = %v, want an InvalidValueError", tt.key, PyRepr(tt.value), err)
			continue
		}
		if valErr.Reason != tt.reason || valErr.Key != tt.key || !valErr.Value.Equal(tt.value) {
			t.Errorf("%s: Validate(%s) reason %q, want %q", tt.key, PyRepr(tt.value), valErr.Reason, tt.reason)
		}
	}
}

func TestFieldSanitize(t *testing.T) {
	f, err := Default().Field(Event, "source.ip")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Sanitize(S(" 1.2.3.4/32 "))
	if err != nil || !got.Equal(S("1.2.3.4")) {
		t.Errorf("Sanitize = %s, %v", PyRepr(got), err)
	}
	_, err = f.Sanitize(S("1.2.3.4/24"))
	var valErr *InvalidValueError
	if !errors.As(err, &valErr) || valErr.Key != "source.ip" || !valErr.Value.Equal(S("1.2.3.4/24")) {
		t.Errorf("Sanitize of a network = %v, want an InvalidValueError for the input", err)
	}
}

func TestParseRejects(t *testing.T) {
	for _, conf := range []string{
		`not json`,
		`{"event": {}}`,
		`{"event": {"a": {"type": "NoSuchType"}}, "report": {}}`,
		`{"event": {"a": {"type": "String", "regex": "(?=x)"}}, "report": {}}`,
	} {
		if _, err := Parse([]byte(conf)); err == nil {
			t.Errorf("Parse(%s) succeeded, want an error", conf)
		}
	}
	s, err := Parse([]byte(`{"event": {"a": {"type": "String", "length": 3}}, "report": {"a": {"type": "String"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if f, err := s.Field(Event, "a"); err != nil || f.Length != 3 {
		t.Errorf("Field(a) = %v, %v", f, err)
	}
}

func TestTypeByName(t *testing.T) {
	names := TypeNames()
	if len(names) != 20 {
		t.Fatalf("TypeNames() has %d names, want 20", len(names))
	}
	for _, name := range names {
		typ, ok := TypeByName(name)
		if !ok || typ.Name() != name {
			t.Errorf("TypeByName(%q) = %v, %v", name, typ, ok)
		}
		_, enumerated := typ.(Enumerated)
		wantEnum := name == TypeClassificationType || name == TypeClassificationTaxonomy || name == TypeRegistry || name == TypeTLP
		if enumerated != wantEnum {
			t.Errorf("%s implements Enumerated: %v, want %v", name, enumerated, wantEnum)
		}
	}
	if _, ok := TypeByName("GenericType"); ok {
		t.Error("TypeByName(GenericType) found a type")
	}
}
