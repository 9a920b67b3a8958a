// SPDX-License-Identifier: AGPL-3.0-or-later

// Package harmonization owns IntelMQ's data format: the harmonization schema
// (loaded from the embedded harmonization.conf, the single source of truth),
// the 20 field types with IntelMQ's exact validate and sanitize rules, the
// typed Value every message field holds, and the error types that name a key,
// a value and a reason.
//
// # Types
//
// A [Type] has two operations, named after IntelMQ's:
//
//   - Validate is is_valid without sanitizing: it accepts only the canonical
//     form ("2020-03-04T05:06:07+00:00" for a DateTime, "1.2.3.4" for an
//     IPAddress).
//   - Sanitize is IntelMQ's sanitize: it normalises a value from a feed (strip,
//     change case, rename aliases, parse) and returns an error where IntelMQ
//     returns None. Like IntelMQ's, it may return a value that Validate still
//     rejects ("0.0.0.0", a TLP of "CLEAR"); IntelMQ's add then fails with
//     "is_valid returned False.", and so does [Field.Validate].
//
// Values of every kind can be sanitized (strings from feeds, numbers,
// booleans, JSON objects); each type treats them as IntelMQ treats the
// corresponding Python value, quirks included: Integer truncates 12.7 to 12,
// String writes 5 as "5", Base64 always encodes. The deliberate differences
// are listed in docs/differences.md.
//
// # Schema
//
// [Default] returns the schema of IntelMQ's harmonization.conf: 82 event and
// 10 report fields. [Schema.Field] looks a key up, including the extra.*
// sub-keys of JSONDict fields, and [Field.Sanitize] and [Field.Validate] apply
// a field's type, length and regexes with IntelMQ's error reasons:
//
//	f, err := harmonization.Default().Field(harmonization.Event, "source.ip")
//	if err != nil {
//		return err // an *InvalidKeyError
//	}
//	v, err := f.Sanitize(harmonization.String(" 192.0.2.1/32 "))
//	if err == nil {
//		err = f.Validate(v) // v is "192.0.2.1"
//	}
//
// # Python compatibility helpers
//
// IntelMQ's types are defined in terms of Python's string, number, JSON, URL
// and IP address functions. The package reimplements the parts it needs
// (str.strip, str.lower and str.upper with full case mapping, int() and
// float() parsing, json.loads and json.dumps, urlsplit, ipaddress) and
// exports the few other packages need: [PyStr] and [PyRepr] (the text of a
// value as Python's str() and repr() write it; IntelMQ's message hash uses
// repr), [Base64Decode] (IntelMQ's lenient base64_decode),
// [CompilePythonRegex] (Python re.search patterns as Go regexps) and
// [TaxonomyOf] (the taxonomy expert's table).
//
// The package imports the standard library, golang.org/x/net/idna,
// golang.org/x/text/unicode/norm and this project's stdlib/datetime (the
// DateTime parser). It must not import any other package of this project.
package harmonization
