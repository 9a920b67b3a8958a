// SPDX-License-Identifier: AGPL-3.0-or-later

package feeds

// Unavailable is a feed of IntelMQ's catalogue (feeds.yaml) that the
// library does not declare, and why.
type Unavailable struct {
	Provider string // IntelMQ's provider name, e.g. "Shadowserver"
	Name     string // IntelMQ's feed name, e.g. "Via IMAP"
	Reason   string
}

// Missing returns the feeds of IntelMQ's catalogue that have no declaration
// in the library, in the catalogue's order. Every other feed of the
// catalogue is declared under feeds/.
func Missing() []Unavailable {
	return nil // all 83 are declared
}
