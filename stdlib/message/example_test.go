// SPDX-License-Identifier: AGPL-3.0-or-later

package message_test

import (
	"errors"
	"fmt"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// A parser builds an event from its report and one record of the data.
func Example() {
	schema := harmonization.Default()
	report, err := message.Decode(schema, []byte(`{"__type": "Report", "feed.name": "Example",
		"time.observation": "2024-01-01T10:00:00+00:00", "raw": "MTkyLjAuMi4xLDQ0Mw=="}`))
	if err != nil {
		panic(err)
	}
	data, _ := report.RawText()
	fmt.Println(data)

	ev := message.EventFromReport(report, nil)
	_ = ev.AddString("source.ip", " 192.0.2.1 ")                 // sanitized: spaces stripped
	_ = ev.AddString("source.port", "443")                       // sanitized: the integer 443
	_ = ev.AddString("classification.type", "C&C")               // sanitized: alias c2-server
	_ = ev.Add("extra", harmonization.String(`{"tags": ["a"]}`)) // flattened to extra.tags
	_ = message.SetRawText(ev, data)
	fmt.Println(string(ev.AppendWire(nil)))

	err = ev.AddString("source.ip", "192.0.2.2")
	fmt.Println(errors.Is(err, harmonization.ErrKeyExists), err)
	// Output:
	// 192.0.2.1,443
	// {"feed.name": "Example", "time.observation": "2024-01-01T10:00:00+00:00", "source.ip": "192.0.2.1", "source.port": 443, "classification.type": "c2-server", "extra.tags": ["a"], "raw": "MTkyLjAuMi4xLDQ0Mw==", "__type": "Event"}
	// true key "source.ip" already exists
}

// The output (file) form is IntelMQ's to_json: sorted, UTF-8, optionally nested.
func ExampleMessage_AppendJSONWith() {
	ev := message.NewEvent(nil)
	_ = ev.AddString("source.ip", "192.0.2.1")
	_ = ev.AddString("feed.name", "Café")
	_ = ev.Add("extra.n", harmonization.Int(1))
	fmt.Println(string(ev.AppendJSON(nil)))
	fmt.Println(string(ev.AppendJSONWith(nil, message.JSONOptions{Hierarchical: true, WithType: true})))
	// Output:
	// {"extra.n": 1, "feed.name": "Café", "source.ip": "192.0.2.1"}
	// {"__type": "Event", "extra": {"n": 1}, "feed": {"name": "Café"}, "source": {"ip": "192.0.2.1"}}
}

// Invalid values are reported with the key, the value and the reason.
func ExampleMessage_AddWith() {
	ev := message.NewEvent(nil)
	_, err := ev.AddWith("source.port", harmonization.String("http"), message.AddOptions{})
	var invalid *message.InvalidValueError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Key, invalid.Value, invalid.Reason != "")
	}
	added, err := ev.AddWith("source.port", harmonization.String("http"), message.AddOptions{NoRaise: true})
	fmt.Println(added, err)
	added, err = ev.AddWith("source.ip", harmonization.String("N/A"), message.AddOptions{})
	fmt.Println(added, err, ev.Has("source.ip"))
	// Output:
	// source.port http true
	// false <nil>
	// false <nil> false
}
