// SPDX-License-Identifier: AGPL-3.0-or-later

package threatminer

import (
	"testing"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parsertest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// TestConformance replays IntelMQ's Threatminer parser test and compares
// every event with IntelMQ's, raw included.
func TestConformance(t *testing.T) {
	passed := parsertest.Replay(t, parsertest.Corpus("threatminer"), Module, Spec(), New)
	t.Logf("cases passed: %v", passed)
}

func parse(t *testing.T, text string) *parsertest.Recorder {
	t.Helper()
	rec, err := parsertest.ParseText(t, parsertest.New(t, New, botapi.MapParams{}), "Threatminer", text)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestDomains(t *testing.T) {
	rec := parse(t, "<div>ignored.example</div>\nRecent domains\n</div>\n"+
		"<tr><td><a href='domain.php?q=a.example\n'>A.example\n</a></td></tr><tr><td><a>192.0.2.1</a></td></tr>"+
		"<tr><td><a>b.example</a></td></tr></table>\n</div>\nRecent hosts\n<a>host.example</a>\n")
	evs := rec.Decoded(t)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	raw, _ := evs[0].RawText()
	if evs[0].GetString("source.fqdn") != "a.example" || raw != "'>A.example" {
		t.Errorf("event 0: %s, raw %q", evs[0], raw)
	}
	if evs[1].GetString("source.fqdn") != "b.example" || evs[1].GetString("classification.type") != "blacklist" {
		t.Errorf("event 1: %s", evs[1])
	}
	if len(rec.Bads) != 1 || rec.Bads[0].Line != 6 {
		t.Errorf("bad records %+v, want the IP address on line 6", rec.Bads)
	}
}

func TestNoPanel(t *testing.T) {
	for text, want := range map[string]error{
		"<html>maintenance</html>":                    ErrNoDomains,
		"Recent domains\n<a>a.example</a>\n</html>\n": ErrNoEnd,
	} {
		rec := parse(t, text)
		if len(rec.Events) != 0 || len(rec.Bads) != 1 || rec.Bads[0].Err != want || rec.Bads[0].Raw != text {
			t.Errorf("%q: events %d, bad records %+v; want the page as one bad record, %v", text, len(rec.Events), rec.Bads, want)
		}
	}
}
