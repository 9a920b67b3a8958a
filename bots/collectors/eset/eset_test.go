// SPDX-License-Identifier: AGPL-3.0-or-later

package eset

import (
	"encoding/base64"
	"encoding/xml"
	"html"
	"io"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

const collection = "ei.urls (json)"

// fakeTAXII is a TAXII 1.1 server with a discovery and a poll service; the
// poll answer comes in two parts. It accepts user "u" with password "p".
type fakeTAXII struct {
	srv   *httptest.Server
	mu    sync.Mutex
	polls []string // the received Poll_Request and Poll_Fulfillment messages, summarized
	parts [][]string
}

func newFake(t *testing.T) *fakeTAXII {
	f := &fakeTAXII{parts: [][]string{
		{`[{"domain":"a.example","url":"http://a.example/x","reason":"Host is known source of phishing or other fraudulent content."}]`, "  "},
		{`[{"domain":"b.example","url":"http://b.example/y","reason":"x"}]`},
	}}
	f.srv = httptest.NewServer(nethttp.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func status(w nethttp.ResponseWriter, code int, typ, msg string) {
	w.WriteHeader(code)
	_, _ = io.WriteString(w, `<taxii_11:Status_Message xmlns:taxii_11="`+nsTAXII11+`" message_id="1" in_response_to="0" status_type="`+
		typ+`"><taxii_11:Message>`+msg+`</taxii_11:Message></taxii_11:Status_Message>`)
}

func (f *fakeTAXII) serve(w nethttp.ResponseWriter, r *nethttp.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if u, p, ok := r.BasicAuth(); !ok || u != "u" || p != "p" {
		status(w, nethttp.StatusOK, "UNAUTHORIZED", "Authentication failed")
		return
	}
	if r.Method != nethttp.MethodPost || r.Header.Get("X-TAXII-Content-Type") != messageBinding {
		w.WriteHeader(nethttp.StatusBadRequest)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var msg struct {
		XMLName    xml.Name
		Collection string `xml:"collection_name,attr"`
		ResultID   string `xml:"result_id,attr"`
		Part       string `xml:"result_part_number,attr"`
		Begin      string `xml:"Exclusive_Begin_Timestamp"`
		End        string `xml:"Inclusive_End_Timestamp"`
	}
	if err := xml.Unmarshal(body, &msg); err != nil || msg.XMLName.Space != nsTAXII11 {
		w.WriteHeader(nethttp.StatusBadRequest)
		return
	}
	head := `xmlns:taxii_11="` + nsTAXII11 + `" message_id="2" in_response_to="1"`
	switch {
	case r.URL.Path == discoveryPath && msg.XMLName.Local == "Discovery_Request":
		_, _ = io.WriteString(w, `<taxii_11:Discovery_Response `+head+`>`+
			`<taxii_11:Service_Instance service_type="INBOX" service_version="`+servicesVersion+`" available="true">`+
			`<taxii_11:Protocol_Binding>`+protocolHTTP+`</taxii_11:Protocol_Binding><taxii_11:Address>/taxiiservice/inbox</taxii_11:Address>`+
			`<taxii_11:Message_Binding>`+messageBinding+`</taxii_11:Message_Binding></taxii_11:Service_Instance>`+
			`<taxii_11:Service_Instance service_type="POLL" service_version="`+servicesVersion+`" available="true">`+
			`<taxii_11:Protocol_Binding>`+protocolHTTP+`</taxii_11:Protocol_Binding><taxii_11:Address>`+f.srv.URL+`/taxiiservice/poll</taxii_11:Address>`+
			`<taxii_11:Message_Binding>`+messageBinding+`</taxii_11:Message_Binding></taxii_11:Service_Instance>`+
			`</taxii_11:Discovery_Response>`)
	case r.URL.Path == "/taxiiservice/poll" && (msg.XMLName.Local == "Poll_Request" || msg.XMLName.Local == "Poll_Fulfillment"):
		if msg.Collection != collection {
			status(w, nethttp.StatusOK, "NOT_FOUND", "The collection was not found")
			return
		}
		f.polls = append(f.polls, strings.Join([]string{msg.XMLName.Local, msg.Begin, msg.End, msg.ResultID, msg.Part}, " "))
		part := 1
		if msg.XMLName.Local == "Poll_Fulfillment" {
			part = 2
		}
		more := "false"
		if part < len(f.parts) {
			more = "true"
		}
		var blocks strings.Builder
		for _, c := range f.parts[part-1] {
			blocks.WriteString(`<taxii_11:Content_Block><taxii_11:Content_Binding binding_id="urn:eset.com:json"/><taxii_11:Content>` +
				html.EscapeString(c) + `</taxii_11:Content></taxii_11:Content_Block>`)
		}
		_, _ = io.WriteString(w, `<taxii_11:Poll_Response `+head+` collection_name="`+collection+`" more="`+more+
			`" result_id="r1" result_part_number="`+string(rune('0'+part))+`">`+blocks.String()+`</taxii_11:Poll_Response>`)
	default:
		status(w, nethttp.StatusBadRequest, "BAD_MESSAGE", "unexpected "+msg.XMLName.Local)
	}
}

func (f *fakeTAXII) run(t *testing.T, extra map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	p := bottest.Params(Spec())
	p["username"], p["password"], p["collection"] = "u", "p", collection
	p["endpoint"], p["use_https"] = strings.TrimPrefix(f.srv.URL, "http://"), false
	p["time_delta"] = int64(7200)
	for k, v := range extra {
		p[k] = v
	}
	c.Kind, c.New, c.Params = botapi.KindCollector, New, p
	c.Feed = &botapi.Feed{Name: "ETI URLs", Provider: "ESET", Accuracy: 100}
	return bottest.Run(t, c)
}

// TestCollect: discovery, a poll of the last time_delta and its
// fulfillment; each non-empty block is a Report.
func TestCollect(t *testing.T) {
	f := newFake(t)
	res := f.run(t, nil, bottest.Case{})
	res.AssertOutputLen(t, "", 2)
	for i, content := range []string{f.parts[0][0], f.parts[1][0]} {
		res.AssertMessageEqual(t, i, map[string]any{"feed.name": "ETI URLs", "feed.provider": "ESET", "feed.accuracy": 100.0,
			"feed.url": f.srv.URL + discoveryPath, "extra.eset_feed": collection,
			"raw": base64.StdEncoding.EncodeToString([]byte(content))}, false, "")
	}
	want := []string{
		"Poll_Request 2015-12-31T22:00:00Z 2016-01-01T00:00:00Z  ",
		"Poll_Fulfillment   r1 2",
	}
	if diff := cmp.Diff(want, f.polls); diff != "" {
		t.Errorf("poll messages (-want +got):\n%s", diff)
	}
	res.AssertLogMatches(t, `^Sent 2 content blocks of "ei\.urls \(json\)" \(1 empty skipped\)\.$`, "INFO")
}

// TestErrors: a TAXII Status_Message fails the collection with its status.
func TestErrors(t *testing.T) {
	f := newFake(t)
	res := f.run(t, map[string]any{"password": "wrong"}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `TAXII discovery at .*: TAXII status UNAUTHORIZED: Authentication failed`, "")

	res = f.run(t, map[string]any{"collection": "nope"}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `polling "nope" at .*/taxiiservice/poll: TAXII status NOT_FOUND`, "")

	res = f.run(t, map[string]any{"use_https": true}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
}

func TestValidate(t *testing.T) {
	base := map[string]any{"username": "u", "password": "p", "collection": collection, "endpoint": defaultEndpoint,
		"time_delta": int64(3600)}
	for name, extra := range map[string]map[string]any{
		"no password":   {"password": ""},
		"no collection": {"collection": " "},
		"url endpoint":  {"endpoint": "https://eti.eset.com/"},
		"zero delta":    {"time_delta": int64(0)},
		"bad proxy":     {"proxy": "::"},
	} {
		p := botapi.MapParams{}
		for k, v := range base {
			p[k] = v
		}
		for k, v := range extra {
			p[k] = v
		}
		b, err := New(&botapi.Context{}, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, extra)
		}
	}
}
