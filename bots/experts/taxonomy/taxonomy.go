// SPDX-License-Identifier: AGPL-3.0-or-later

package taxonomy

import (
	"context"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "expert.taxonomy"

// The classification fields the expert completes.
const (
	keyTaxonomy = "classification.taxonomy"
	keyType     = "classification.type"
)

// Spec returns the declaration of the taxonomy expert; it has no parameters.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindExpert,
		Doc: "Completes classification.taxonomy from classification.type as IntelMQ's taxonomy expert does; " +
			"an event without either gets taxonomy \"other\" and type \"undetermined\".",
	}
}

// Register adds the taxonomy expert to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Expert is the taxonomy expert.
type Expert struct{}

var _ botapi.Processor = (*Expert)(nil)

// New returns a taxonomy expert.
func New(*botapi.Context, botapi.Params) (botapi.Bot, error) {
	return &Expert{}, nil
}

// Process completes the classification of msg and sends it on.
func (e *Expert) Process(_ context.Context, msg *message.Message, out botapi.Sender) error {
	if err := Complete(msg); err != nil {
		return err
	}
	return out.Send(botapi.DefaultPath, msg)
}

// Complete applies IntelMQ's taxonomy rules to msg.
func Complete(msg *message.Message) error {
	hasTaxonomy, hasType := msg.Has(keyTaxonomy), msg.Has(keyType)
	switch {
	case !hasTaxonomy && hasType:
		t, _ := msg.Get(keyType)
		return msg.AddString(keyTaxonomy, harmonization.TaxonomyOf(t.Str()))
	case !hasTaxonomy:
		if err := msg.AddString(keyTaxonomy, "other"); err != nil {
			return err
		}
		return msg.AddString(keyType, "undetermined")
	case !hasType:
		return msg.AddString(keyType, "undetermined")
	}
	return nil
}
