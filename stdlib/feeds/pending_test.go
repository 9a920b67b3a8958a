// SPDX-License-Identifier: AGPL-3.0-or-later

package feeds_test

// pending lists the corpus cases whose port waits for a language or
// runtime feature (README.md, "Missing features"), by case name, with the
// features. TestConformance fails when one of them passes, so the list is
// kept true: delete the entry when the feature lands. Every ported case
// passes or is a known difference now, so the list is empty.
func pending() map[string]string {
	return map[string]string{}
}
