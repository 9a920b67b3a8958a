// SPDX-License-Identifier: AGPL-3.0-or-later

package feeds_test

// pending lists the corpus cases whose port waits for a language or
// runtime feature (README.md, "Missing features"), by case name, with the
// features. TestConformance fails when one of them passes, so the list is
// kept true: delete the entry when the feature lands.
func pending() map[string]string {
	const (
		header   = "header: the text of the skipped lines and CSV header row"
		comments = "comments: the comment lines read before the record"
		change   = "change: overwrite a field copied from the report"
		pyJSON   = "pyJSON: raw re-encoded as Python's json.dumps"
		text     = "text: the report's whole text"
		csvRaw   = "csvRaw: IntelMQ's generic CSV raw (header lines and the row re-encoded)"
		reject   = "reject: fail the whole report on a condition"
		repr     = "pyRepr: raw as Python's repr of the record"
	)
	m := map[string]string{
		"abusech/TestAbusechFeodoTrackerParserBot.test_event":                                        pyJSON,
		"alienvault/TestAlienVaultOTXParserBot.test_event":                                           pyJSON + "; empty values kept in extra",
		"calidog/TestCertStreamParserBot.test_events":                                                text,
		"cert_eu/TestCertEUCSVParserBot.test_event":                                                  header + "; " + change,
		"cymru/TestCymruFullBogonsParserBot.test_ipv4_events":                                        header,
		"cymru/TestCymruFullBogonsParserBot.test_ipv6_events":                                        header,
		"cznic/TestCZNICHaasParserBot.test_event":                                                    pyJSON,
		"dshield/TestDshieldBlockParserBot.test_event":                                               comments,
		"dyn/TestDynParserBot.test_event":                                                            comments,
		"malwarepatrol/TestDansParserBot.test_empty":                                                 comments + "; " + change,
		"mcafee/TestATDParserBot.test_event":                                                         text,
		"microsoft/TestMicrosoftBingMurlsParserBot.test_event":                                       pyJSON,
		"misp/TestMISPParserBot.test_event":                                                          pyJSON,
		"n6/TestN6StompParserBot.test_blacklist":                                                     text,
		"n6/TestN6StompParserBot.test_futher_ios":                                                    text,
		"n6/TestN6StompParserBot.test_no_address":                                                    text,
		"phishtank/TestPhishTankParserBot.test_event":                                                pyJSON,
		"spamhaus/TestSpamhausCERTParserBot.test_events":                                             comments + "; " + change,
		"spamhaus/TestSpamhausDropParserBot.test_asn":                                                comments,
		"spamhaus/TestSpamhausDropParserBot.test_network":                                            comments,
		"surbl/TestSurblParserBot.test_event":                                                        comments,
		"turris/TestTurrisGreylistParserBot.test_event":                                              header,
		"vxvault/TestVXVaultParserBot.test_event":                                                    header,
		"zoneh/TestZoneHParserBot.test_event":                                                        header,
		"zoneh/TestZoneHParserBot.test_pending_event":                                                header,
		"github_feed/TestGithubFeedParserBot.test_no_processing_is_executed_for_the_feed_is_unknown": reject,
		"github_feed/TestGithubFeedParserBot.test_strangerealintel_feed_processing_is_successful":    repr,
	}
	for _, name := range []string{
		"TestGenericCsvParserBot.test_bot_handles_mixed_line_endings",
		"TestGenericCsvParserBot.test_bot_preserves_line_ending_n",
		"TestGenericCsvParserBot.test_bot_preserves_line_ending_rn",
		"TestGenericCsvParserBot.test_compose_fields",
		"TestGenericCsvParserBot.test_error_ignore",
		"TestGenericCsvParserBot.test_invalid_value",
		"TestGenericCsvParserBot.test_skip_header_2",
		"TestGenericCsvParserBot.test_skip_header_false",
		"TestGenericCsvParserBot.test_skip_header_true",
		"TestGenericCsvParserBot.test_strcol",
		"TestGenericCsvParserBot.test_time_format_empty_string",
		"TestGenericCsvParserBot.test_type_translation_dict",
		"test_filter_blacklist.TestGenericCsvParserBot.test_event",
		"test_filter_whitelist.TestGenericCsvParserBot.test_event",
		"test_parser_csv.TestGenericCsvParserBot.test_event",
		"test_parser_csv2.TestGenericCsvParserBot.test_event",
		"test_parser_csv4.TestGenericCsvParserBot.test_event",
		"test_parser_csv_data_type.TestGenericCsvParserBot.test_event",
		"test_parser_csv_extra_regex.TestGenericCsvParserBot.test_event",
		"test_parser_multivalue_cols.TestGenericCsvParserBot.test_event",
	} {
		m["generic/"+name] = csvRaw
	}
	return m
}
