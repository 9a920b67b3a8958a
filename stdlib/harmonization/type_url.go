// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "strings"

// urlType is IntelMQ's URL: a URL with a network location.
type urlType struct{}

func (urlType) Name() string { return TypeURL }

// Validate accepts a non-empty string that does not start with ASCII white
// space and in which Python's urlsplit finds a netloc: "http://x/" and
// "//x" are valid, "mailto:a@b", "example.com/x" and "1.2.3.4:80" are not.
func (urlType) Validate(v Value) bool {
	if !isText(v) {
		return false
	}
	switch v.s[0] {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return false
	}
	p, err := pyURLSplit(v.s)
	return err == nil && p.netloc != ""
}

// Sanitize strips the value, replaces "hxxp://" and "hxxps://" with
// "http://" and "https://", and gives a file URL without host the host
// localhost ("file:///etc/x" becomes "file://localhost/etc/x"). It fails when
// there is still no netloc; no default scheme is added.
func (t urlType) Sanitize(v Value) (Value, error) {
	out, _, err := t.sanitizeValid(v)
	return out, err
}

// sanitizeValid is Sanitize. Its result is stripped and has a netloc, so
// it is valid; a rebuilt file URL is checked again.
func (t urlType) sanitizeValid(v Value) (Value, bool, error) {
	s, ok := genericSanitize(v)
	if !ok {
		return Value{}, false, failf(TypeURL, "empty value")
	}
	if strings.Contains(s, "hxxp") {
		s = replaceHxxp(s)
	}
	p, err := pyURLSplit(s)
	if err != nil {
		return Value{}, false, failf(TypeURL, "%q: %v", s, err)
	}
	if p.scheme == "file" && p.netloc == "" {
		p.netloc = "localhost"
		out := String(pyURLUnsplit(p))
		return out, t.Validate(out), nil
	}
	if p.netloc == "" {
		return Value{}, false, failf(TypeURL, "%q has no network location", s)
	}
	return String(s), true, nil
}

// replaceHxxp applies Python's value.replace('hxxp://', 'http://') and then
// value.replace('hxxps://', 'https://').
func replaceHxxp(s string) string {
	s = strings.ReplaceAll(s, "hxxp://", "http://")
	return strings.ReplaceAll(s, "hxxps://", "https://")
}
