// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import (
	"fmt"
	"sort"
)

// Registry holds the bots a binary offers, by ID. The zero value is not
// usable; create one with NewRegistry. A Registry is filled once at start-up
// and read afterwards; it is not safe for concurrent Register calls.
type Registry struct {
	entries map[string]*entry
}

type entry struct {
	spec Spec
	ctor Constructor
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{entries: map[string]*entry{}}
}

// Register adds a bot. A nil ctor registers the spec only, which is all the
// compiler needs; the runtime refuses to start a bot without one. It returns an error wrapping ErrInvalidSpec when the
// spec does not validate, or ErrDuplicateID when the ID is taken.
func (r *Registry) Register(spec Spec, ctor Constructor) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	if _, dup := r.entries[spec.ID]; dup {
		return fmt.Errorf("%w: %q is already registered", ErrDuplicateID, spec.ID)
	}
	spec.Params = append([]Param(nil), spec.Params...)
	r.entries[spec.ID] = &entry{spec: spec, ctor: ctor}
	return nil
}

// Lookup returns the spec registered under id.
func (r *Registry) Lookup(id string) (*Spec, bool) {
	e, ok := r.entries[id]
	if !ok {
		return nil, false
	}
	return &e.spec, true
}

// Constructor returns the constructor registered under id; nil when the
// bot was registered as a spec only or is unknown.
func (r *Registry) Constructor(id string) Constructor {
	if e, ok := r.entries[id]; ok {
		return e.ctor
	}
	return nil
}

// Specs returns every registered spec sorted by ID.
func (r *Registry) Specs() []*Spec {
	out := make([]*Spec, 0, len(r.entries))
	for _, e := range r.entries {
		out = append(out, &e.spec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IDs returns the registered IDs of the given kind, sorted; kind 0 means all.
func (r *Registry) IDs(kind Kind) []string {
	var ids []string
	for id, e := range r.entries {
		if kind == 0 || e.spec.Kind == kind {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
