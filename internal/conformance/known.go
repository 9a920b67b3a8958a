// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

// KnownDifferences returns the cases this project deliberately answers
// otherwise than IntelMQ, by case name, with the reason (see
// docs/differences.md, "Parsers"). Each call returns a new map.
func KnownDifferences() map[string]string {
	return map[string]string{
		"alienvault/TestAlienVaultOTXParserBot.test_event": "IntelMQ cuts four characters off an indicator's creation time " +
			"meant for a fraction, so a time without one (20:15:44) becomes 20:01; we read the time as written",
	}
}
