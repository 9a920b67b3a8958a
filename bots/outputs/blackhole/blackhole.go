// SPDX-License-Identifier: AGPL-3.0-or-later

package blackhole

import (
	"context"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "output.blackhole"

// Spec returns the declaration of the blackhole output; it has no
// parameters.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindOutput,
		Doc:  "Discards every event, as IntelMQ's blackhole output does.",
	}
}

// Register adds the blackhole output to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Output is the blackhole output.
type Output struct{}

var _ botapi.Processor = (*Output)(nil)

// New returns a blackhole output.
func New(*botapi.Context, botapi.Params) (botapi.Bot, error) {
	return &Output{}, nil
}

// Process discards msg.
func (*Output) Process(context.Context, *message.Message, botapi.Sender) error {
	return nil
}
