// SPDX-License-Identifier: AGPL-3.0-or-later

package fireeye

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// corpus is the directory of IntelMQ's recorded tests and samples.
var corpus = filepath.Join("..", "..", "..", "testdata", "conformance", "intelmq")

// TestConformance replays IntelMQ's own Fireeye parser tests through the
// runner (bottest): the same events, raw included.
func TestConformance(t *testing.T) {
	for _, c := range conformance.LoadDir(t, filepath.Join(corpus, "parsers", "fireeye")) {
		t.Run(c.Name, func(t *testing.T) {
			for _, run := range c.Runs() {
				params, err := conformance.Params(Spec(), run.Parameters)
				if err != nil {
					t.Fatal(err)
				}
				res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New, Params: params,
					Input: run.Inputs(), Paths: run.Paths()})
				run.CheckResult(t, res)
			}
		})
	}
}

func sample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus, "samples", "bots", "parsers", "fireeye", "event.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func report(doc string) string {
	return `{"__type": "Report", "feed.name": "Fireeye", "time.observation": "2016-01-01T00:00:00+00:00", "raw": "` +
		base64.StdEncoding.EncodeToString([]byte(doc)) + `"}`
}

// TestNoNetwork: without network items in the second indicator there is
// only the malware event; without a second indicator as well.
func TestNoNetwork(t *testing.T) {
	doc := sample(t)
	i := strings.Index(doc, "            <Indicator id=\"5420081528109681130\"")
	j := strings.Index(doc, "        </Indicator>\n    </criteria>")
	if i < 0 || j < 0 {
		t.Fatal("the sample changed")
	}
	noSecond := doc[:i] + doc[j:]
	noNetwork := strings.ReplaceAll(doc, "Network", "Other")
	for name, d := range map[string]string{"no second indicator": noSecond, "no network items": noNetwork} {
		t.Run(name, func(t *testing.T) {
			res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New, Input: []any{report(d)}})
			res.AssertOutputLen(t, "", 1)
			res.AssertMessageEqual(t, 0, map[string]any{"__type": "Event", "feed.name": "Fireeye",
				"classification.type": "malware",
				"malware.hash.md5":    "21232f297a57a5a743894a0e4a801fc3",
				"malware.hash.sha256": "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918",
				"raw":                 base64.StdEncoding.EncodeToString([]byte(d))}, true, "")
		})
	}
}

// TestHostIsAnAddress: a host that is an IPv4 address fills
// destination.ip, and a URL needs both a host name and a path.
func TestHostIsAnAddress(t *testing.T) {
	doc := strings.Replace(sample(t), `<Content type="string">shop.domain1.com</Content>`, `<Content type="string">192.0.2.7</Content>`, 1)
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New, Input: []any{report(doc)}})
	res.AssertOutputLen(t, "", 2)
	res.AssertMessageEqual(t, 1, map[string]any{"__type": "Event", "feed.name": "Fireeye",
		"classification.type": "malware-distribution", "destination.ip": "192.0.2.7",
		"destination.fqdn": "shop.domain1.com", "destination.urlpath": "/wp-content/n/",
		"destination.url": "http://shop.domain1.com/wp-content/n/", "destination.port": 80,
		"malware.hash.md5":    "21232f297a57a5a743894a0e4a801fc3",
		"malware.hash.sha256": "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918"}, false, "")
}

// TestNoIOCs: a document without indicators gives no event and is
// acknowledged, as in IntelMQ.
func TestNoIOCs(t *testing.T) {
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New,
		Input: []any{report(`<OpenIOC><metadata/></OpenIOC>`)}})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `No IOCs Available\.`, "INFO")
	if len(res.Dumps) != 0 {
		t.Errorf("%d dumps, want none", len(res.Dumps))
	}
}

// TestMalformed: a document that is not XML is dumped whole.
func TestMalformed(t *testing.T) {
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New,
		Input: []any{report(`<OpenIOC><criteria>`)}, AllowedErrors: 2})
	res.AssertOutputLen(t, "", 0)
	if len(res.Dumps) != 1 {
		t.Errorf("%d dumps, want 1", len(res.Dumps))
	}
}

// FuzzParse: no input crashes the parser.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<OpenIOC><criteria><Indicator id="1"><IndicatorItem><Context search="FileItem/Sha256sum"/><Content>x</Content></IndicatorItem></Indicator></criteria></OpenIOC>`))
	f.Add([]byte(`<Indicator id<Indicator id<Indicator id`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = read(string(data))
	})
}
