// SPDX-License-Identifier: AGPL-3.0-or-later

package blackhole

import (
	"context"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

func TestDiscards(t *testing.T) {
	bot, err := New(&botapi.Context{}, botapi.MapParams{})
	if err != nil {
		t.Fatal(err)
	}
	rec := conformance.NewRecorder()
	msg := message.NewEvent(harmonization.Default())
	if err := msg.AddString("source.ip", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if err := bot.(botapi.Processor).Process(context.Background(), msg, rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Sent) != 0 {
		t.Errorf("the blackhole sent %v", rec.Sent)
	}
}

func TestRegister(t *testing.T) {
	r := botapi.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Lookup(ID); !ok {
		t.Errorf("%s is not registered", ID)
	}
}

func TestWithRunner(t *testing.T) {
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindOutput, New: New, Input: []any{
		`{"source.ip": "192.0.2.1", "__type": "Event"}`, `{"__type": "Event"}`,
	}})
	res.AssertOutputLen(t, "", 0)
}
