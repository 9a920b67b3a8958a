// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"fmt"
	"strings"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// rawKey is the field holding the base64 of the original data.
const rawKey = "raw"

// SetRawText sets the raw field to the base64 (standard alphabet, padded) of
// text, as IntelMQ's add("raw", text) does through the Base64 sanitizer:
// collectors pass the fetched data, parsers the plaintext of one record. An
// existing raw is replaced. As in IntelMQ, the strings "", "-" and "N/A"
// are ignored (and delete an existing raw), while empty bytes are an
// *InvalidValueError.
func SetRawText[T string | []byte](m *Message, text T) error {
	var zero T
	if _, isString := any(zero).(string); isString && isIgnored(harmonization.String(string(text))) {
		m.Delete(rawKey)
		return nil
	}
	if len(text) == 0 { // empty bytes are not ignored: base64 "" is invalid
		return &InvalidValueError{Key: rawKey, Value: harmonization.String(""), Reason: "is_valid returned False"}
	}
	return m.setRaw(harmonization.EncodeBase64(text))
}

// SetRawTextIn is SetRawText for a text string with its base64 written into
// arena, for a parser that sets the raw of many events: the events' raw
// values then share blocks of memory (see harmonization.Arena).
func SetRawTextIn(m *Message, text string, arena *harmonization.Arena) error {
	if isIgnored(harmonization.String(text)) { // "" included
		m.Delete(rawKey)
		return nil
	}
	return m.setRaw(arena.Base64(text))
}

// SetRawTextField is SetRawTextIn for a caller that looked raw's field up
// once: f is what m.Schema().LookupField(m.Type(), "raw") returned, nil
// for an error.
func SetRawTextField(m *Message, f *harmonization.Field, text string, arena *harmonization.Arena) error {
	if isIgnored(harmonization.String(text)) { // "" included
		m.Delete(rawKey)
		return nil
	}
	return m.setRawField(f, arena.Base64(text))
}

// setRaw sets the raw field to b64, the padded base64 of non-empty data.
func (m *Message) setRaw(b64 string) error {
	f, err := m.schema.LookupField(m.typ, rawKey)
	if err != nil {
		f = nil
	}
	return m.setRawField(f, b64)
}

// setRawField is setRaw with raw's field f, nil when the schema refuses
// raw.
func (m *Message) setRawField(f *harmonization.Field, b64 string) error {
	v := harmonization.String(b64)
	if f != nil && f.Type.Name() == harmonization.TypeBase64 &&
		f.Length == 0 && f.Regex == nil && f.IRegex == nil {
		// The padded base64 of non-empty data is valid Base64 and plain
		// ASCII: nothing to check, nothing to escape.
		m.putPlain(rawKey, v, plainKey|plainVal)
		return nil
	}
	_, err := m.AddWith(rawKey, v, AddOptions{Overwrite: OverwriteYes, NoSanitize: true})
	return err
}

// RawBytes returns the decoded raw field. Decoding is as lenient as IntelMQ's
// base64_decode (Python's b64decode without validation): characters outside
// the base64 alphabet are skipped and decoding stops at complete padding, but
// a wrong amount of data or padding is an error. A message without raw gives
// a *KeyNotExistsError.
func (m *Message) RawBytes() ([]byte, error) {
	i := m.index(rawKey)
	if i < 0 {
		return nil, &KeyNotExistsError{Key: rawKey}
	}
	b, err := harmonization.Base64DecodeBytes(m.fields[i].val.Str())
	if err != nil {
		return nil, fmt.Errorf("field %q: %w", rawKey, err)
	}
	return b, nil
}

// RawText returns the decoded raw field as text, dropping invalid UTF-8
// bytes as IntelMQ's base64_decode does.
func (m *Message) RawText() (string, error) {
	b, err := m.RawBytes()
	if err != nil {
		return "", err
	}
	return strings.ToValidUTF8(string(b), ""), nil
}
