// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

// Type is one of IntelMQ's 20 harmonization types.
//
// Validate is IntelMQ's is_valid(value, sanitize=False): it accepts only the
// canonical form. Sanitize is IntelMQ's sanitize: it normalises a value
// (strip, lowercase, alias, parse) and returns an error, naming the reason,
// where IntelMQ's sanitize returns None. A sanitized value still has to pass
// Validate; Field.Sanitize and Field.Validate apply both plus the field's
// length and regex constraints.
type Type interface {
	Name() string
	Validate(v Value) bool
	Sanitize(v Value) (Value, error)
}

// Enumerated is implemented by types with a closed set of allowed values
// (ClassificationType, ClassificationTaxonomy, Registry, TLP). Allowed returns
// them sorted; the compiler uses them for "did you mean" suggestions.
type Enumerated interface {
	Type
	Allowed() []string
}

// The names of the 20 types, as harmonization.conf spells them.
const (
	TypeASN                    = "ASN"
	TypeAccuracy               = "Accuracy"
	TypeBase64                 = "Base64"
	TypeBoolean                = "Boolean"
	TypeClassificationTaxonomy = "ClassificationTaxonomy"
	TypeClassificationType     = "ClassificationType"
	TypeDateTime               = "DateTime"
	TypeFQDN                   = "FQDN"
	TypeFloat                  = "Float"
	TypeIPAddress              = "IPAddress"
	TypeIPNetwork              = "IPNetwork"
	TypeInteger                = "Integer"
	TypeJSON                   = "JSON"
	TypeJSONDict               = "JSONDict"
	TypeLowercaseString        = "LowercaseString"
	TypeRegistry               = "Registry"
	TypeString                 = "String"
	TypeTLP                    = "TLP"
	TypeURL                    = "URL"
	TypeUppercaseString        = "UppercaseString"
)
