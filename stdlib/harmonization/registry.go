// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "errors"

// TypeByName returns the type named as in harmonization.conf.
func TypeByName(name string) (Type, bool) {
	t, ok := typesByName[name]
	return t, ok
}

// placeholder is a stand-in until each type is implemented: a non-empty
// string is valid.
type placeholder string

func (p placeholder) Name() string { return string(p) }
func (p placeholder) Validate(v Value) bool {
	return v.Kind() == KindString && v.Str() != ""
}
func (p placeholder) Sanitize(v Value) (Value, error) {
	if v.Kind() == KindNone {
		return Value{}, errors.New("empty")
	}
	return String(v.String()), nil
}

var typesByName = map[string]Type{}

func init() {
	for _, n := range []string{TypeASN, TypeAccuracy, TypeBase64, TypeBoolean, TypeClassificationTaxonomy,
		TypeClassificationType, TypeDateTime, TypeFQDN, TypeFloat, TypeIPAddress, TypeIPNetwork, TypeInteger,
		TypeJSON, TypeJSONDict, TypeLowercaseString, TypeRegistry, TypeString, TypeTLP, TypeURL, TypeUppercaseString} {
		typesByName[n] = placeholder(n)
	}
}
