// SPDX-License-Identifier: AGPL-3.0-or-later

package parserutil

import (
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// IsValid reports whether s is a valid value of the event field key, as
// IntelMQ's <Type>.is_valid(s, sanitize=sanitize) of that field's type
// (with the field's own length and regex checks, which IntelMQ's add
// applies next). The ignored values "", "-" and "N/A" are not valid.
func IsValid(schema *harmonization.Schema, key, s string, sanitize bool) bool {
	ev := message.NewEvent(schema)
	ok, err := ev.AddWith(key, harmonization.String(s), message.AddOptions{NoSanitize: !sanitize, NoRaise: true})
	return ok && err == nil
}
