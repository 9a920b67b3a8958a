// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"slices"
	"strings"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// JSONOptions are the arguments of IntelMQ's to_dict and to_json.
type JSONOptions struct {
	// Hierarchical splits every key at its dots into nested objects
	// (source.ip becomes {"source": {"ip": ...}}).
	Hierarchical bool
	// WithType adds "__type": "Event" or "Report".
	WithType bool
	// JSONDictAsString collects the extra.* keys into one field "extra"
	// holding their JSON text, the style before IntelMQ 1.1. (Python's
	// to_json ignores this argument; to_dict honours it, as this does.)
	JSONDictAsString bool
	// Order, when not nil, sorts the keys remembering the last order (see
	// KeyOrder): for one goroutine writing many messages.
	Order *KeyOrder
}

// AppendJSON appends m as IntelMQ's to_json() writes it (the file output
// format): json.dumps(ensure_ascii=False, sort_keys=True), so keys are
// sorted at every level, non-ASCII text is UTF-8, and separators are ", "
// and ": ".
func (m *Message) AppendJSON(dst []byte) []byte {
	return m.AppendJSONWith(dst, JSONOptions{})
}

// AppendJSONWith is AppendJSON with IntelMQ's to_dict options.
func (m *Message) AppendJSONWith(dst []byte, o JSONOptions) []byte {
	items := m.fields
	if o.WithType || o.JSONDictAsString {
		items = m.outputItems(o)
	}
	e := emitter{style: styleSorted}
	if o.Hierarchical {
		root := &hnode{}
		for _, it := range items {
			root.insert(it.key, it.val)
		}
		return e.appendTree(dst, root)
	}
	var order []hashKey
	if o.Order != nil {
		order = o.Order.sorted(items)
	} else {
		var small [32]hashKey
		order = sortByKey(small[:0], items)
	}
	dst = append(dst, '{')
	for n, k := range order {
		if n > 0 {
			dst = append(dst, ", "...)
		}
		dst = e.appendMember(dst, &items[k.i], false)
	}
	return append(dst, '}')
}

// outputItems returns the top-level items of to_dict before nesting.
func (m *Message) outputItems(o JSONOptions) []entry {
	items := make([]entry, 0, len(m.fields)+1)
	if o.WithType {
		items = append(items, entry{key: "__type", val: harmonization.String(m.typ.String())})
	}
	var parents []string
	for _, f := range m.fields {
		if o.JSONDictAsString {
			if dot := strings.IndexByte(f.key, '.'); dot > 0 && m.isDictParent(f.key[:dot]) {
				if p := f.key[:dot]; !slices.Contains(parents, p) {
					parents = append(parents, p)
				}
				continue
			}
		}
		items = append(items, f)
	}
	for _, p := range parents {
		items = append(items, entry{key: p, val: harmonization.String(string(m.appendDictAsString(nil, p)))})
	}
	return items
}

// appendDictAsString appends json.dumps(ensure_ascii=False) of the object
// {rest: value} built from the parent.rest keys, in insertion order.
func (m *Message) appendDictAsString(dst []byte, parent string) []byte {
	e := emitter{}
	dst = append(dst, '{')
	n := 0
	for _, f := range m.fields {
		if !hasPrefixDot(f.key, parent) {
			continue
		}
		if n > 0 {
			dst = append(dst, ", "...)
		}
		n++
		dst = appendJSONString(dst, f.key[len(parent)+1:], false)
		dst = append(dst, ": "...)
		dst = e.appendValue(dst, f.val)
	}
	return append(dst, '}')
}

// appendDictParent appends json.dumps of to_dict(hierarchical=True)[parent],
// IntelMQ's value of msg["extra"].
func (m *Message) appendDictParent(dst []byte, parent string) []byte {
	root := &hnode{}
	for _, f := range m.fields {
		root.insert(f.key, f.val)
	}
	e := emitter{style: styleASCII}
	if n := root.child(parent); n != nil {
		return e.appendTree(dst, n)
	}
	return append(dst, "{}"...)
}

// hnode is a node of the hierarchical form of a message.
type hnode struct {
	name string
	leaf bool
	val  harmonization.Value
	kids []*hnode
}

// child returns the child named name, or nil.
func (n *hnode) child(name string) *hnode {
	for _, c := range n.kids {
		if c.name == name {
			return c
		}
	}
	return nil
}

// insert stores v under the dotted key. It follows IntelMQ's to_dict, including
// its quirk of treating any segment equal to the last one as the last (so
// extra.a.a is stored as extra.a). Where Python would fail (a value and an
// object under the same name) the later key wins.
func (n *hnode) insert(key string, v harmonization.Value) {
	last := key[strings.LastIndexByte(key, '.')+1:]
	node := n
	for {
		seg, rest, more := strings.Cut(key, ".")
		c := node.child(seg)
		if c == nil {
			c = &hnode{name: seg}
			node.kids = append(node.kids, c)
		}
		if !more || seg == last {
			c.leaf, c.val, c.kids = true, v, nil
			return
		}
		if c.leaf {
			c.leaf, c.val = false, harmonization.Value{}
		}
		node, key = c, rest
	}
}

// appendTree appends a node: its value for a leaf, an object otherwise.
func (e *emitter) appendTree(dst []byte, n *hnode) []byte {
	if n.leaf {
		return e.appendValue(dst, n.val)
	}
	if e.style&styleSorted != 0 {
		slices.SortFunc(n.kids, func(a, b *hnode) int { return strings.Compare(a.name, b.name) })
	}
	dst = append(dst, '{')
	for i, c := range n.kids {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = e.str(dst, c.name)
		dst = append(dst, ": "...)
		dst = e.appendTree(dst, c)
	}
	return append(dst, '}')
}
