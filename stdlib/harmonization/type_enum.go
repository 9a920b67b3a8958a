// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "strings"

// registries lists the values of Registry, sorted.
var registries = [...]string{"AFRINIC", "APNIC", "ARIN", "LACNIC", "RIPE"}

// registryType is IntelMQ's Registry: the name of a regional internet
// registry.
type registryType struct{}

func (registryType) Name() string { return TypeRegistry }

// Validate accepts exactly AFRINIC, APNIC, ARIN, LACNIC or RIPE.
func (registryType) Validate(v Value) bool {
	return v.kind == KindString && inSorted(registries[:], v.s)
}

// Sanitize upper-cases and strips a string and renames RIPENCC and RIPE-NCC
// to RIPE. Another name is returned for Validate to reject, as in IntelMQ.
func (registryType) Sanitize(v Value) (Value, error) {
	u, err := sanitizeCase(TypeRegistry, v, pyUpper)
	if err != nil {
		return Value{}, err
	}
	if u.s == "RIPENCC" || u.s == "RIPE-NCC" {
		return String("RIPE"), nil
	}
	return u, nil
}

// Allowed returns the five registries, sorted.
func (registryType) Allowed() []string { return append([]string(nil), registries[:]...) }

// tlpLevels lists the values of TLP, sorted. TLP 2.0's CLEAR is not one.
var tlpLevels = [...]string{"AMBER", "GREEN", "RED", "WHITE"}

// tlpType is IntelMQ's TLP: a Traffic Light Protocol level of TLP 1.0.
type tlpType struct{}

func (tlpType) Name() string { return TypeTLP }

// Validate accepts exactly WHITE, GREEN, AMBER or RED.
func (tlpType) Validate(v Value) bool {
	return v.kind == KindString && inSorted(tlpLevels[:], v.s)
}

// Sanitize upper-cases and strips a string, removes a leading "TLP" or "TLP:"
// and the white space after it, and renames YELLOW to AMBER ("tlp:amber"
// gives "AMBER"). A value of white space only fails.
func (tlpType) Sanitize(v Value) (Value, error) {
	u, err := sanitizeCase(TypeTLP, v, pyUpper)
	if err != nil {
		return Value{}, err
	}
	if u.s == "" {
		return Value{}, failf(TypeTLP, "empty value")
	}
	s := strings.TrimPrefix(u.s, "TLP")
	if len(s) < len(u.s) {
		s = strings.TrimPrefix(s, ":")
	}
	s = strings.TrimLeftFunc(s, pyIsSpace)
	if s == "YELLOW" {
		s = "AMBER"
	}
	return String(s), nil
}

// Allowed returns the four levels, sorted.
func (tlpType) Allowed() []string { return append([]string(nil), tlpLevels[:]...) }
