// SPDX-License-Identifier: AGPL-3.0-or-later

package cleanmx

import (
	"encoding/base64"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/runtime/runner"
)

// corpus is IntelMQ's recorded cases of the CleanMX parser.
var corpus = filepath.Join("..", "..", "..", "testdata", "conformance", "intelmq", "parsers", "cleanmx")

// TestConformance replays IntelMQ's own CleanMX parser tests through the
// runner (bottest): the same events, raw included.
func TestConformance(t *testing.T) {
	for _, c := range conformance.LoadDir(t, corpus) {
		t.Run(c.Name, func(t *testing.T) {
			for _, run := range c.Runs() {
				params, err := conformance.Params(Spec(), run.Parameters)
				if err != nil {
					t.Fatal(err)
				}
				res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New, Params: params,
					Input: run.Inputs(), Paths: run.Paths()})
				run.CheckResult(t, res)
				res.AssertLogMatches(t, `Sent \d+ events and found 0 problem\(s\)\.`, "INFO")
			}
		})
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// report returns a report of the phishing feed (unless url says
// otherwise) holding doc.
func report(url, doc string) string {
	return `{"__type": "Report", "feed.name": "CleanMX", "feed.url": "` + url + `", "time.observation": "2016-01-01T00:00:00+00:00", "raw": "` + b64(doc) + `"}`
}

const phishingURL = "http://support.clean-mx.de/clean-mx/xmlphishing?response=alive"

// TestBadEntry: an entry that gives no event is dumped with exactly its
// text as ElementTree writes it and sent to _on_error; the others go on.
func TestBadEntry(t *testing.T) {
	doc := `<?xml version="1.0"?>
<output><entries>
<entry><id>1</id><first>1502031590</first><url>http://a.example/</url><ip>192.0.2.1</ip></entry>
<entry a="x&amp;y"><id>2</id><first>soon</first><url><![CDATA[http://b.example/?a=1&b=2]]></url></entry>
<entry><id>3</id><unknown>x</unknown></entry>
<entry><id>4</id><first>1502031590</first><url>http://c.example/</url><recent>down</recent></entry>
</entries></output>
`
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New, Input: []any{report(phishingURL, doc)},
		AllowedErrors: 4})
	res.AssertOutputLen(t, "", 2)
	res.AssertMessageEqual(t, 0, map[string]any{"__type": "Event", "feed.name": "CleanMX", "feed.url": phishingURL,
		"classification.type": "phishing", "extra.id": "1", "time.source": "2017-08-06T14:59:50+00:00",
		"source.url": "http://a.example/", "source.ip": "192.0.2.1",
		"raw": b64(`<entry><id>1</id><first>1502031590</first><url>http://a.example/</url><ip>192.0.2.1</ip></entry>` + "\n")}, true, "")
	res.AssertMessageEqual(t, 1, map[string]any{"__type": "Event", "feed.name": "CleanMX", "feed.url": phishingURL,
		"classification.type": "phishing", "extra.id": "4", "time.source": "2017-08-06T14:59:50+00:00",
		"source.url": "http://c.example/", "status": "offline"}, false, "")
	bad := res.Messages(botapi.ErrorPath)
	if len(bad) != 2 || len(res.Dumps) != 2 {
		t.Fatalf("%d reports on _on_error and %d dumps, want 2 of each", len(bad), len(res.Dumps))
	}
	wantRaw := []string{
		`<entry a="x&amp;y"><id>2</id><first>soon</first><url>http://b.example/?a=1&amp;b=2</url></entry>` + "\n",
		`<entry><id>3</id><unknown>x</unknown></entry>` + "\n",
	}
	for i, m := range bad {
		got, err := m.RawText()
		if err != nil || got != wantRaw[i] {
			t.Errorf("bad record %d: raw %q (%v), want %q", i, got, err, wantRaw[i])
		}
		if m.GetString("feed.url") != phishingURL {
			t.Errorf("bad record %d lost the report's fields: %s", i, m)
		}
	}
	if !strings.Contains(strings.Join(res.Dumps[0].Traceback, "\n"), "line 4") {
		t.Errorf("the dump does not name the entry's line: %q", res.Dumps[0].Traceback)
	}
	res.AssertLogMatches(t, `Sent 2 events and found 2 problem\(s\)\.`, "INFO")
}

// TestFeedParameter: the feed parameter chooses the mapping whatever the
// report's URL; default_fields fill what the entry does not set.
func TestFeedParameter(t *testing.T) {
	doc := `<output><entries><entry><id>9</id><as>AS64496,AS64497</as><virusname>Foo.Bar</virusname><source>RIPE</source><sub>x</sub></entry></entries></output>`
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New, Input: []any{report("https://example.com/feed", doc)},
		Params: botapi.MapParams{"feed": FeedViruses,
			botapi.ParamDefaultFields: map[string]string{"classification.type": "phishing", "comment": "from CleanMX"}}})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"__type": "Event", "feed.name": "CleanMX", "feed.url": "https://example.com/feed",
		"classification.type": "malware-distribution", "extra.id": "9", "extra.source": "RIPE", "extra.sub": "x",
		"source.asn": 64496, "malware.name": "foo.bar", "comment": "from CleanMX"}, false, "")
}

// TestUnknownFeed: a report whose feed cannot be told is dumped whole,
// without retries.
func TestUnknownFeed(t *testing.T) {
	opts := bottest.TestOptions()
	opts.ErrorMaxRetries = 3
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New, Options: &opts,
		Input: []any{report("https://example.com/feed", "<output/>")}, AllowedErrors: 2})
	res.AssertOutputLen(t, "", 0)
	if len(res.Dumps) != 1 || res.Stats.Failure != 1 {
		t.Fatalf("%d dumps, %d failures: want the report dumped once, not retried", len(res.Dumps), res.Stats.Failure)
	}
	res.AssertLogMatches(t, "cannot tell the CleanMX feed", "ERROR")
}

// TestCSVFormatStops: a feed.url asking for CSV is a configuration error
// that stops the bot, as in IntelMQ.
func TestCSVFormatStops(t *testing.T) {
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New,
		Input: []any{report("http://support.clean-mx.de/clean-mx/xmlphishing?format=csv", "<output/>")}, AllowedErrors: 2})
	if !errors.Is(res.Err, botapi.ErrFatal) {
		t.Errorf("the bot ended with %v, want a fatal error", res.Err)
	}
	res.AssertOutputLen(t, "", 0)
}

// TestMalformedXML: a document that is not well-formed gives no event and
// is dumped whole.
func TestMalformedXML(t *testing.T) {
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New,
		Input: []any{report(phishingURL, "<output><entry><id>1</id></entry>")}, AllowedErrors: 2})
	res.AssertOutputLen(t, "", 0)
	if len(res.Dumps) != 1 {
		t.Fatalf("%d dumps, want 1", len(res.Dumps))
	}
}

// TestValidate: the feed parameter takes the two feeds or nothing.
func TestValidate(t *testing.T) {
	for feed, ok := range map[string]bool{"": true, FeedPhishing: true, FeedViruses: true, "spam": false} {
		b, err := New(&botapi.Context{}, botapi.MapParams{"feed": feed})
		if err != nil {
			t.Fatal(err)
		}
		if err := runner.Validate(b); (err == nil) != ok {
			t.Errorf("feed %q: Validate() = %v", feed, err)
		}
	}
}

// TestSerialize: entries are written back as ElementTree writes them.
func TestSerialize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<entry><a></a><b/><c><![CDATA[]]></c></entry>`, `<entry><a /><b /><c /></entry>`},
		{`<entry k="a&quot;b&#10;c">x &lt; y<n>1</n>tail</entry>`, `<entry k="a&quot;b&#10;c">x &lt; y<n>1</n>tail</entry>`},
		{`<r><entry><!-- c -->t</entry>  after <!-- x --> more<z/></r>`, "<entry>t</entry>  after  more"},
	} {
		es, err := readEntries(tc.in)
		if err != nil || len(es) != 1 {
			t.Fatalf("%s: %d entries, %v", tc.in, len(es), err)
		}
		if got := es[0].serialize(); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// FuzzReadEntries: no document crashes the reader, and every entry it
// returns can be written back and read again as one entry.
func FuzzReadEntries(f *testing.F) {
	f.Add(`<output><entries><entry><id>1</id><url><![CDATA[http://a/?x=1&y=2]]></url></entry></entries></output>`)
	f.Add(`<entry a="&quot;"><entry>x</entry></entry>`)
	f.Fuzz(func(t *testing.T, doc string) {
		entries, err := readEntries(doc)
		if err != nil {
			return
		}
		for _, e := range entries {
			again, err := readEntries(e.serialize())
			if err != nil || len(again) == 0 {
				t.Fatalf("entry %q written back does not read: %v", e.serialize(), err)
			}
		}
	})
}
