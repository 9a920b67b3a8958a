// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

// TypeByName returns the type named as in harmonization.conf ("IPAddress",
// "DateTime", ...). The types are stateless values, safe for concurrent use.
func TypeByName(name string) (Type, bool) {
	switch name {
	case TypeASN:
		return asnType{}, true
	case TypeAccuracy:
		return accuracyType{}, true
	case TypeBase64:
		return base64Type{}, true
	case TypeBoolean:
		return booleanType{}, true
	case TypeClassificationTaxonomy:
		return classificationTaxonomyType{}, true
	case TypeClassificationType:
		return classificationTypeType{}, true
	case TypeDateTime:
		return dateTimeType{}, true
	case TypeFQDN:
		return fqdnType{}, true
	case TypeFloat:
		return floatType{}, true
	case TypeIPAddress:
		return ipAddressType{}, true
	case TypeIPNetwork:
		return ipNetworkType{}, true
	case TypeInteger:
		return integerType{}, true
	case TypeJSON:
		return jsonType{}, true
	case TypeJSONDict:
		return jsonDictType{}, true
	case TypeLowercaseString:
		return lowercaseType{}, true
	case TypeRegistry:
		return registryType{}, true
	case TypeString:
		return stringType{}, true
	case TypeTLP:
		return tlpType{}, true
	case TypeURL:
		return urlType{}, true
	case TypeUppercaseString:
		return uppercaseType{}, true
	}
	return nil, false
}

// TypeNames returns the names of the 20 types, sorted.
func TypeNames() []string {
	return []string{TypeASN, TypeAccuracy, TypeBase64, TypeBoolean, TypeClassificationTaxonomy,
		TypeClassificationType, TypeDateTime, TypeFQDN, TypeFloat, TypeIPAddress, TypeIPNetwork,
		TypeInteger, TypeJSON, TypeJSONDict, TypeLowercaseString, TypeRegistry, TypeString, TypeTLP,
		TypeURL, TypeUppercaseString}
}
