// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

// yearlessDate is the reason of the cases whose dates lack the year.
const yearlessDate = "the fuzzy time format does not read a day and month without a year (02-15); " +
	"IntelMQ's dateutil fills in the current year, so the expected time depends on the clock"

// KnownDifferences returns the cases this project deliberately answers
// otherwise than IntelMQ, by case name, with the reason (see
// docs/differences.md, "Parsers"). Each call returns a new map.
func KnownDifferences() map[string]string {
	return map[string]string{
		"alienvault/TestAlienVaultOTXParserBot.test_event": "IntelMQ cuts four characters off an indicator's creation time " +
			"meant for a fraction, so a time without one (20:15:44) becomes 20:01; we read the time as written",
		"anubisnetworks/TestAnubisNetworksParserBot.test_third": "the case turns IntelMQ's parameter " +
			"use_malware_familiy_as_classification_identifier off; the port has only its default (the malware family " +
			"is the classification identifier), as a parser variant is chosen only by a parameter that is true",
		"html_table/TestHTMLTableParserBot.test_event_with_attribute_id": yearlessDate,
		"html_table/TestHTMLTableParserBot.test_event_with_split":        yearlessDate,
		// The library's Shadowserver parser is generated from Shadowserver's
		// schema; these cases name report types of IntelMQ's test schema.
		"shadowserver/TestShadowserverMapping.test_changed_feed":               shadowserverTestSchema,
		"shadowserver/TestShadowserverParserBot.test_default":                  shadowserverTestSchema,
		"shadowserver/TestShadowserverParserBot.test_field_not_in_idf":         shadowserverTestSchema,
		"shadowserver/TestShadowserverParserBot.test_half_broken":              shadowserverTestSchema,
		"shadowserver/TestShadowserverParserBot.test_overwrite_feed_name":      shadowserverTestSchema,
		"shadowserver/test_report_smb.TestShadowserverParserBot.test_event":    shadowserverTestSchema,
		"shadowserver/test_report_switch.TestShadowserverParserBot.test_event": shadowserverTestSchema,
		"shadowserver/test_report_telnet.TestShadowserverParserBot.test_event": shadowserverTestSchema,
	}
}

// shadowserverTestSchema is the reason of the Shadowserver cases recorded
// with IntelMQ's test schema.
const shadowserverTestSchema = "the case's report type (test_smb, test_telnet or test_afs) is one of IntelMQ's test " +
	"schema, which Shadowserver's schema, the library parser's source, does not have, so the report is rejected; " +
	"stdlib/feeds/internal/gen-shadowserver replays the case against the parser generated from the test schema, " +
	"where it passes"
