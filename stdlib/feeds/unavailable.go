// SPDX-License-Identifier: AGPL-3.0-or-later

package feeds

// Unavailable is a feed of IntelMQ's catalogue (feeds.yaml) that the
// library does not declare, and why.
type Unavailable struct {
	Provider string // IntelMQ's provider name, e.g. "Shadowserver"
	Name     string // IntelMQ's feed name, e.g. "Via IMAP"
	Reason   string
}

// Missing returns the feeds of IntelMQ's catalogue that have no declaration
// in the library, in the catalogue's order. Every other feed of the
// catalogue is declared under feeds/.
func Missing() []Unavailable {
	return []Unavailable{
		{"Team Cymru", "CAP", "parser not ported: intelmq.bots.parsers.cymru.parser_cap_program (two formats told apart by the header: free-text notes read word by word in the old one, `key: value;` lists in the new one, where a line may give several events)"},
		{"Turris", "Greylist with PGP signature verification", "the http collector does not verify PGP signatures; turris_greylist reads the same list without the check"},
		{"University of Toulouse", "Blacklist", "a template, not one feed: the collection, its columns and its type are chosen by the user; write a feed with the generic CSV options (fields, type)"},
		{"CleanMX", "Virus", "parser not ported: intelmq.bots.parsers.cleanmx.parser reads XML"},
		{"CleanMX", "Phishing", "parser not ported: intelmq.bots.parsers.cleanmx.parser reads XML"},
		{"Shadowserver", "Via IMAP", "no mail collector; the Shadowserver parser is generated from the schema IntelMQ downloads at run time (go run ./stdlib/feeds/internal/gen-shadowserver), which the library does not ship"},
		{"Shadowserver", "Via Request Tracker", "no RT collector; the Shadowserver parser is generated from the schema IntelMQ downloads at run time (go run ./stdlib/feeds/internal/gen-shadowserver), which the library does not ship"},
		{"Shadowserver", "Via API", "parser not ported: intelmq.bots.parsers.shadowserver.parser_json (the generator writes the CSV parser only); no Shadowserver API collector"},
		{"MalwareURL", "Latest malicious activity", "parser not ported: intelmq.bots.parsers.malwareurl.parser scrapes HTML"},
		{"Microsoft", "CTIP Infected via Interflow", "parser not ported: intelmq.bots.parsers.microsoft.parser_ctip (a report is a JSON list for Interflow or JSON lines for Azure; the payload is base64 JSON, a JSON string whose keys become extra.payload.*, or text)"},
		{"Microsoft", "CTIP Infected via Azure", "parser not ported: intelmq.bots.parsers.microsoft.parser_ctip (a report is a JSON list for Interflow or JSON lines for Azure; the payload is base64 JSON, a JSON string whose keys become extra.payload.*, or text); no Azure collector"},
		{"Microsoft", "CTIP C2 via Azure", "parser not ported: intelmq.bots.parsers.microsoft.parser_ctip (a report is a JSON list for Interflow or JSON lines for Azure; the payload is base64 JSON, a JSON string whose keys become extra.payload.*, or text); no Azure collector"},
		{"Threatminer", "Recent domains", "parser not ported: intelmq.bots.parsers.threatminer.parser scrapes HTML"},
		{"Fireeye", "Malware Analysis System", "parser not ported (intelmq.bots.parsers.fireeye.parser reads XML) and no Fireeye collector"},
	}
}
