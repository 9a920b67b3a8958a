// SPDX-License-Identifier: AGPL-3.0-or-later

package cymrucap

import (
	"testing"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parsertest"
)

// FuzzParse: any text gives events the harmonization accepts or bad
// records, never a panic or an error.
func FuzzParse(f *testing.F) {
	parsertest.Fuzz(f, Spec(), New, "samples/bots/parsers/cymru/certname_20190327.txt", "samples/bots/parsers/cymru/infected_20171031.txt")
}
