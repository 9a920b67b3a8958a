// SPDX-License-Identifier: AGPL-3.0-or-later

package url

import (
	"context"
	"fmt"
	"strconv"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "expert.url"

// Parameter names.
const (
	paramOverwrite  = "overwrite"
	paramSkipFields = "skip_fields"
)

// Spec returns the declaration of the url expert.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindExpert,
		Doc: "Fills source.* and destination.* fqdn or ip, port, urlpath and account, and protocol.application " +
			"and protocol.transport, from source.url and destination.url, as IntelMQ's url expert does.",
		Params: []botapi.Param{
			{Name: paramOverwrite, Type: botapi.TypeBool, Default: false,
				Doc: "Replace fields that are already set; by default they are kept."},
			{Name: paramSkipFields, Type: botapi.TypeStringList, Default: []string{},
				Doc: "Fields the expert must not set, e.g. [\"source.ip\", \"protocol.transport\"]."},
		},
	}
}

// Register adds the url expert to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// scheme is what IntelMQ's URLSCHEMES table knows about a URL scheme.
type scheme struct {
	port        int
	transport   string // "" when the table has none
	application string // "" means the scheme itself
}

// lookupScheme is IntelMQ's URLSCHEMES table.
func lookupScheme(name string) (scheme, bool) {
	switch name {
	case "ftp":
		return scheme{port: 21, transport: "tcp"}, true
	case "http":
		return scheme{port: 80, transport: "tcp"}, true
	case "https":
		return scheme{port: 443, application: "http"}, true
	case "sftp", "ssh":
		return scheme{port: 22, transport: "tcp"}, true
	case "tftp":
		return scheme{port: 69, transport: "udp"}, true
	case "ws":
		return scheme{port: 80, transport: "tcp"}, true
	case "wss":
		return scheme{port: 443, transport: "tcp"}, true
	}
	return scheme{}, false
}

// Expert is the url expert.
type Expert struct {
	overwrite message.Overwrite
	skip      map[string]bool
	ipType    harmonization.Type
	fqdnType  harmonization.Type
}

var _ botapi.Processor = (*Expert)(nil)

// New builds the url expert from its parameters.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	e := &Expert{overwrite: message.OverwriteNo, skip: map[string]bool{}}
	if p.Bool(paramOverwrite) {
		e.overwrite = message.OverwriteYes
	}
	skip := p.List(paramSkipFields)
	if err := botapi.CheckFieldNames(bc.Schema, paramSkipFields, skip); err != nil {
		return nil, err
	}
	for _, f := range skip {
		e.skip[f] = true
	}
	var ok bool
	if e.ipType, ok = harmonization.TypeByName(harmonization.TypeIPAddress); !ok {
		return nil, fmt.Errorf("the harmonization has no type %s", harmonization.TypeIPAddress)
	}
	if e.fqdnType, ok = harmonization.TypeByName(harmonization.TypeFQDN); !ok {
		return nil, fmt.Errorf("the harmonization has no type %s", harmonization.TypeFQDN)
	}
	return e, nil
}

// Process fills the fields derived from the event's URLs and sends it on.
func (e *Expert) Process(_ context.Context, msg *message.Message, out botapi.Sender) error {
	if err := e.Enrich(msg); err != nil {
		return err
	}
	return out.Send(botapi.DefaultPath, msg)
}

// Enrich applies the url expert to msg: source first, then destination;
// the protocol fields come from the first URL that yields one.
func (e *Expert) Enrich(msg *message.Message) error {
	protocolsAdded := false
	for _, base := range [...]string{"source", "destination"} {
		raw := msg.GetString(base + ".url")
		if raw == "" {
			continue
		}
		u, err := parseURL(raw)
		if err != nil {
			return fmt.Errorf("%s.url %q: %w", base, raw, err)
		}
		added, err := e.enrichFrom(msg, base, u, !protocolsAdded)
		if err != nil {
			return err
		}
		protocolsAdded = protocolsAdded || added
	}
	return nil
}

// enrichFrom fills base.* from u and, if withProtocols, the protocol
// fields; it reports whether it set (or tried to set) a protocol field.
func (e *Expert) enrichFrom(msg *message.Message, base string, u parsedURL, withProtocols bool) (bool, error) {
	ipKey, fqdnKey, portKey := base+".ip", base+".fqdn", base+".port"
	host := u.Hostname()
	switch {
	case host != "" && !e.skip[ipKey] && e.valid(e.ipType, host):
		if err := e.add(msg, ipKey, host); err != nil {
			return false, err
		}
	case host != "" && !e.skip[fqdnKey] && e.valid(e.fqdnType, host):
		if err := e.add(msg, fqdnKey, host); err != nil {
			return false, err
		}
	}
	port, hasPort, err := u.Port()
	if err != nil {
		return false, fmt.Errorf("%s.url: %w", base, err)
	}
	known, isKnown := lookupScheme(u.Scheme)
	if !e.skip[portKey] {
		switch {
		case hasPort && port != 0:
			err = e.add(msg, portKey, strconv.Itoa(port))
		case isKnown:
			err = e.add(msg, portKey, strconv.Itoa(known.port))
		}
		if err != nil {
			return false, err
		}
	}
	if u.Path != "" && !e.skip[base+".urlpath"] {
		if err := e.add(msg, base+".urlpath", u.Path); err != nil {
			return false, err
		}
	}
	if user := u.Username(); user != "" && !e.skip[base+".account"] {
		// IntelMQ adds the account with raise_failure=False.
		if _, err := msg.AddWith(base+".account", harmonization.String(user),
			message.AddOptions{Overwrite: e.overwrite, NoRaise: true}); err != nil {
			return false, err
		}
	}
	if !withProtocols || u.Scheme == "" {
		return false, nil
	}
	return e.addProtocols(msg, u.Scheme, known, isKnown)
}

// addProtocols sets protocol.application and protocol.transport for a
// scheme, as IntelMQ does.
func (e *Expert) addProtocols(msg *message.Message, name string, known scheme, isKnown bool) (bool, error) {
	added := false
	if !e.skip["protocol.application"] {
		app := name
		if isKnown && known.application != "" {
			app = known.application
		}
		if err := e.add(msg, "protocol.application", app); err != nil {
			return false, err
		}
		added = true
	}
	if !e.skip["protocol.transport"] && isKnown && known.transport != "" {
		if err := e.add(msg, "protocol.transport", known.transport); err != nil {
			return false, err
		}
		added = true
	}
	return added, nil
}

// valid is IntelMQ's Type.is_valid(value, sanitize=True).
func (e *Expert) valid(t harmonization.Type, s string) bool {
	v, err := t.Sanitize(harmonization.String(s))
	return err == nil && t.Validate(v)
}

// add is IntelMQ's event.add(key, value, overwrite=self.overwrite).
func (e *Expert) add(msg *message.Message, key, value string) error {
	_, err := msg.AddWith(key, harmonization.String(value), message.AddOptions{Overwrite: e.overwrite})
	return err
}
