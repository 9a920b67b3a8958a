// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

// classificationTypes lists the 44 allowed values of classification.type
// with the taxonomy the taxonomy expert assigns to each, sorted by type.
var classificationTypes = [...]struct{ typ, taxonomy string }{
	{"application-compromise", "intrusions"},
	{"blacklist", "other"},
	{"brute-force", "intrusion-attempts"},
	{"burglary", "intrusions"},
	{"c2-server", "malicious-code"},
	{"copyright", "fraud"},
	{"data-leak", "information-content-security"},
	{"data-loss", "information-content-security"},
	{"ddos", "availability"},
	{"ddos-amplifier", "vulnerable"},
	{"dga-domain", "other"},
	{"dos", "availability"},
	{"exploit", "intrusion-attempts"},
	{"harmful-speech", "abusive-content"},
	{"ids-alert", "intrusion-attempts"},
	{"infected-system", "malicious-code"},
	{"information-disclosure", "vulnerable"},
	{"malware", "other"},
	{"malware-configuration", "malicious-code"},
	{"malware-distribution", "malicious-code"},
	{"masquerade", "fraud"},
	{"misconfiguration", "availability"},
	{"other", "other"},
	{"outage", "availability"},
	{"phishing", "fraud"},
	{"potentially-unwanted-accessible", "vulnerable"},
	{"privileged-account-compromise", "intrusions"},
	{"proxy", "other"},
	{"sabotage", "availability"},
	{"scanner", "information-gathering"},
	{"sniffing", "information-gathering"},
	{"social-engineering", "information-gathering"},
	{"spam", "abusive-content"},
	{"system-compromise", "intrusions"},
	{"test", "test"},
	{"tor", "other"},
	{"unauthorised-information-access", "information-content-security"},
	{"unauthorised-information-modification", "information-content-security"},
	{"unauthorized-use-of-resources", "fraud"},
	{"undetermined", "other"},
	{"unprivileged-account-compromise", "intrusions"},
	{"violence", "abusive-content"},
	{"vulnerable-system", "vulnerable"},
	{"weak-crypto", "vulnerable"},
}

// classificationTaxonomies lists the 11 allowed values of
// classification.taxonomy, sorted.
var classificationTaxonomies = [...]string{
	"abusive-content",
	"availability",
	"fraud",
	"information-content-security",
	"information-gathering",
	"intrusion-attempts",
	"intrusions",
	"malicious-code",
	"other",
	"test",
	"vulnerable",
}

// TaxonomyOf returns the classification.taxonomy that IntelMQ's taxonomy
// expert derives from a classification.type: "infected-system" gives
// "malicious-code". An unknown type gives "other", as in the expert.
func TaxonomyOf(classificationType string) string {
	if i, ok := classificationTypeIndex(classificationType); ok {
		return classificationTypes[i].taxonomy
	}
	return "other"
}

// classificationTypeIndex finds s in classificationTypes by binary search.
func classificationTypeIndex(s string) (int, bool) {
	lo, hi := 0, len(classificationTypes)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if classificationTypes[m].typ < s {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(classificationTypes) && classificationTypes[lo].typ == s
}

// classificationTypeAlias maps the old names IntelMQ's sanitize renames, after
// lower-casing, to the current value.
func classificationTypeAlias(s string) string {
	switch s {
	case "botnet drone", "infected system", "ransomware":
		return "infected-system"
	case "ids alert":
		return "ids-alert"
	case "c&c", "c2server":
		return "c2-server"
	case "malware configuration":
		return "malware-configuration"
	case "vulnerable client", "vulnerable service":
		return "vulnerable-system"
	case "leak":
		return "data-leak"
	case "unknown":
		return "undetermined"
	case "dga domain":
		return "dga-domain"
	case "unauthorized-login", "unauthorized-command", "compromised", "backdoor":
		return "system-compromise"
	case "defacement":
		return "unauthorised-information-modification"
	case "dropzone":
		return "other"
	}
	return s
}

// classificationTaxonomyAlias maps the old spelled-out taxonomy names to the
// current value.
func classificationTaxonomyAlias(s string) string {
	switch s {
	case "abusive content":
		return "abusive-content"
	case "information gathering":
		return "information-gathering"
	case "intrusion attempts":
		return "intrusion-attempts"
	case "malicious code":
		return "malicious-code"
	}
	return s
}

// classificationTypeType is IntelMQ's ClassificationType.
type classificationTypeType struct{}

func (classificationTypeType) Name() string { return TypeClassificationType }

// Validate accepts exactly one of the 44 allowed values.
func (classificationTypeType) Validate(v Value) bool {
	if v.kind != KindString {
		return false
	}
	_, ok := classificationTypeIndex(v.s)
	return ok
}

// Sanitize lower-cases and strips a string and renames old values ("c&c"
// gives "c2-server", "unknown" gives "undetermined"). A value that is still
// not allowed is returned for Validate to reject, as in IntelMQ.
func (classificationTypeType) Sanitize(v Value) (Value, error) {
	return sanitizeEnum(TypeClassificationType, v, classificationTypeAlias)
}

// Allowed returns the 44 allowed values, sorted.
func (classificationTypeType) Allowed() []string {
	out := make([]string, len(classificationTypes))
	for i, c := range classificationTypes {
		out[i] = c.typ
	}
	return out
}

// classificationTaxonomyType is IntelMQ's ClassificationTaxonomy.
type classificationTaxonomyType struct{}

func (classificationTaxonomyType) Name() string { return TypeClassificationTaxonomy }

// Validate accepts exactly one of the 11 allowed values.
func (classificationTaxonomyType) Validate(v Value) bool {
	return v.kind == KindString && inSorted(classificationTaxonomies[:], v.s)
}

// Sanitize lower-cases and strips a string and replaces the old spelled-out
// names ("malicious code" gives "malicious-code").
func (classificationTaxonomyType) Sanitize(v Value) (Value, error) {
	return sanitizeEnum(TypeClassificationTaxonomy, v, classificationTaxonomyAlias)
}

// Allowed returns the 11 allowed values, sorted.
func (classificationTaxonomyType) Allowed() []string {
	return append([]string(nil), classificationTaxonomies[:]...)
}

// sanitizeEnum is the sanitize of the two classification types: lower case,
// strip, a false result fails, then the alias map.
func sanitizeEnum(typ string, v Value, alias func(string) string) (Value, error) {
	s, err := sanitizeCase(typ, v, pyLower)
	if err != nil {
		return Value{}, err
	}
	if s.s == "" {
		return Value{}, failf(typ, "empty value")
	}
	return String(alias(s.s)), nil
}

// inSorted reports whether s is in the sorted list.
func inSorted(list []string, s string) bool {
	lo, hi := 0, len(list)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if list[m] < s {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(list) && list[lo] == s
}
