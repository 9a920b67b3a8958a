// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

// KnownDifferences returns the cases this project deliberately answers
// otherwise than IntelMQ, by case name, with the reason (see
// docs/differences.md). Each call returns a new map.
func KnownDifferences() map[string]string {
	return map[string]string{}
}
