// SPDX-License-Identifier: AGPL-3.0-or-later

package stdout

import (
	"bytes"
	"context"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

func TestLines(t *testing.T) {
	tests := []struct {
		params map[string]any
		want   string
	}{
		{nil, `{"extra.name": "ä", "source.ip": "192.0.2.1", "source.port": 80}` + "\n"},
		{map[string]any{"keep_raw_field": true, "message_with_type": true},
			`{"__type": "Event", "extra.name": "ä", "raw": "eA==", "source.ip": "192.0.2.1", "source.port": 80}` + "\n"},
		{map[string]any{"hierarchical_output": true}, `{"extra": {"name": "ä"}, "source": {"ip": "192.0.2.1", "port": 80}}` + "\n"},
		{map[string]any{"single_key": "raw"}, "x\n"},
		{map[string]any{"format": "pprint"}, "{\n    \"extra.name\": \"ä\",\n    \"source.ip\": \"192.0.2.1\",\n    \"source.port\": 80\n}\n"},
	}
	for _, tt := range tests {
		p, err := conformance.Params(Spec(), tt.params)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		o := NewWriter(p, &buf)
		msg, err := message.Decode(harmonization.Default(),
			[]byte(`{"source.port": 80, "source.ip": "192.0.2.1", "raw": "eA==", "extra.name": "\u00e4", "__type": "Event"}`))
		if err != nil {
			t.Fatal(err)
		}
		if err := o.Process(context.Background(), msg, conformance.NewRecorder()); err != nil {
			t.Fatal(err)
		}
		if err := o.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("%v:\n got %s\nwant %s", tt.params, got, tt.want)
		}
	}
}

func TestValidateFormat(t *testing.T) {
	o := NewWriter(botapi.MapParams{"format": "xml"}, &bytes.Buffer{})
	if err := o.Validate(); err == nil {
		t.Error("format xml accepted")
	}
}

func TestNewWritesToStdout(t *testing.T) {
	bot, err := New(&botapi.Context{}, botapi.MapParams{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := bot.(*Output); !ok {
		t.Fatalf("New returned %T", bot)
	}
}
