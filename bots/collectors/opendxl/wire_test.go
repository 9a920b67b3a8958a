// SPDX-License-Identifier: AGPL-3.0-or-later

package opendxl

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// pyPacker packs values as the OpenDXL Python client does: with the
// msgpack package it requires (>= 0.5, < 1.0) and its Packer() defaults,
// i.e. without use_bin_type, so str and bytes alike are msgpack "raw"
// values with the lengths of the old spec (fixraw, raw16, raw32: no
// str8), None is nil, a list is an array, and integers take the smallest
// format (msgpack/fallback.py, Packer._pack).
type pyPacker struct{ bytes.Buffer }

func (p *pyPacker) int(n int64) {
	switch {
	case n >= 0 && n < 0x80, n < 0 && n >= -32:
		p.WriteByte(byte(n))
	case n >= 0 && n <= 0xff:
		p.Write([]byte{0xcc, byte(n)})
	case n < 0 && n >= -0x80:
		p.Write([]byte{0xd0, byte(n)})
	case n >= 0 && n <= 0xffff:
		p.WriteByte(0xcd)
		p.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
	case n < 0 && n >= -0x8000:
		p.WriteByte(0xd1)
		p.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
	case n >= 0 && n <= 0xffffffff:
		p.WriteByte(0xce)
		p.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	case n < 0 && n >= -0x80000000:
		p.WriteByte(0xd2)
		p.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	case n >= 0:
		p.WriteByte(0xcf)
		p.Write(binary.BigEndian.AppendUint64(nil, uint64(n)))
	default:
		p.WriteByte(0xd3)
		p.Write(binary.BigEndian.AppendUint64(nil, uint64(n)))
	}
}

func (p *pyPacker) raw(b []byte) {
	switch n := len(b); {
	case n <= 0x1f:
		p.WriteByte(0xa0 | byte(n))
	case n <= 0xffff:
		p.WriteByte(0xda)
		p.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
	default:
		p.WriteByte(0xdb)
		p.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	}
	p.Write(b)
}

func (p *pyPacker) str(s string) { p.raw([]byte(s)) }

func (p *pyPacker) list(ss []string) {
	switch n := len(ss); {
	case n <= 0x0f:
		p.WriteByte(0x90 | byte(n))
	case n <= 0xffff:
		p.WriteByte(0xdc)
		p.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
	default:
		p.WriteByte(0xdd)
		p.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	}
	for _, s := range ss {
		p.str(s)
	}
}

// encodeMessage is dxlclient's Message._to_bytes: the version and type,
// the version 0 fields with those of the type, then the other fields
// (version >= 1, a dict packed as a list of keys and values) and the
// tenant GUIDs (version >= 2).
func encodeMessage(m *dxlMessage) []byte {
	var p pyPacker
	p.int(m.version)
	p.int(m.typ)
	p.str(m.messageID)
	p.str(m.sourceClientID)
	p.str(m.sourceBrokerID)
	p.list(m.brokerIDs)
	p.list(m.clientIDs)
	p.raw(m.payload)
	switch m.typ {
	case typeRequest:
		p.str(m.replyToTopic)
		p.str(m.serviceID)
	case typeResponse, typeError:
		p.str(m.requestMessageID)
		p.str(m.serviceID)
		if m.typ == typeError {
			p.int(m.errorCode)
			p.str(m.errorMessage)
		}
	}
	if m.version > 0 {
		p.list(m.otherFields)
	}
	if m.version > 1 {
		p.str(m.sourceTenantGUID)
		p.list(m.destinationTenantGUIDs)
	}
	return p.Bytes()
}

// event returns a version 2 event as a broker delivers it (the source ids
// filled in) with payload.
func event(id string, payload []byte) *dxlMessage {
	return &dxlMessage{
		version: 2, typ: typeEvent, messageID: id,
		sourceClientID: "{cc8b5ac3-a4cc-4b9c-8a27-8c31f3c2f0f4}",
		sourceBrokerID: "{1c6a1b62-5f76-11e8-0a4e-000c29fd6b68}",
		payload:        payload,
	}
}

// fixtureEvent is a DXL event written byte by byte from the format of
// dxlclient/message.py (Message._to_bytes, Event._pack_message and the
// version 1 and 2 additions), packed as msgpack 0.x packs without
// use_bin_type. The ids are 38 characters long, so they take the raw16
// form (0xda), not str8 (0xd9), which msgpack 0.x never writes without
// use_bin_type.
var fixtureEvent = []byte("" +
	"\x02" + // version 2 (positive fixint)
	"\x02" + // message type 2: event
	"\xda\x00\x26" + "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}" + // message id, raw16 of 38 bytes
	"\xda\x00\x26" + "{cc8b5ac3-a4cc-4b9c-8a27-8c31f3c2f0f4}" + // source client id
	"\xda\x00\x26" + "{1c6a1b62-5f76-11e8-0a4e-000c29fd6b68}" + // source broker id
	"\x90" + // broker ids: empty array
	"\x91" + "\xda\x00\x26" + "{25000000-0000-0000-0000-000000000001}" + // client ids: one
	"\xda\x00\x2d" + `{"Summary":{"Event_Type":"ATD File Report"}}` + "\x00" + // payload, 45 bytes
	"\x92" + "\xaa" + "SourceType" + "\xa3" + "ATD" + // other fields {"SourceType": "ATD"} as a list
	"\xa0" + // source tenant GUID: ""
	"\x90") // destination tenant GUIDs: empty

func fixtureMessage() *dxlMessage {
	m := event("{3f2504e0-4f89-41d3-9a0c-0305e82c3301}", []byte(`{"Summary":{"Event_Type":"ATD File Report"}}`+"\x00"))
	m.clientIDs = []string{"{25000000-0000-0000-0000-000000000001}"}
	m.otherFields = []string{"SourceType", "ATD"}
	m.sourceTenantGUID = ""
	return m
}

var cmpMessage = cmp.Options{cmp.AllowUnexported(dxlMessage{}), cmpopts.EquateEmpty()}

func TestFixture(t *testing.T) {
	got, err := decodeMessage(fixtureEvent)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fixtureMessage(), got, cmpMessage); diff != "" {
		t.Errorf("decoded fixture (-want +got):\n%s", diff)
	}
	if enc := encodeMessage(fixtureMessage()); !bytes.Equal(enc, fixtureEvent) {
		t.Errorf("the test encoder differs from the fixture:\n got % x\nwant % x", enc, fixtureEvent)
	}
}

// TestEveryPrefixFails: a message cut anywhere does not decode.
func TestEveryPrefixFails(t *testing.T) {
	for n := range len(fixtureEvent) {
		if _, err := decodeMessage(fixtureEvent[:n]); err == nil {
			t.Errorf("the first %d bytes decoded", n)
		}
	}
}

func TestMessageTypesAndVersions(t *testing.T) {
	long := strings.Repeat("x", 70000) // raw32
	for name, m := range map[string]*dxlMessage{
		"request": {version: 2, typ: typeRequest, messageID: "{r}", payload: []byte("q"),
			replyToTopic: "/mcafee/client/{c}", serviceID: "{s}", brokerIDs: []string{"{b1}", "{b2}"}},
		"response": {version: 1, typ: typeResponse, messageID: "{p}", requestMessageID: "{r}", serviceID: "{s}", payload: []byte("a")},
		"error": {version: 2, typ: typeError, messageID: "{e}", requestMessageID: "{r}", errorCode: -2147483647,
			errorMessage: "unable to locate service for request"},
		"event v0":       {version: 0, typ: typeEvent, messageID: "{v0}", payload: []byte(long)},
		"event v1":       {version: 1, typ: typeEvent, messageID: "{v1}", otherFields: []string{"a", "b", "c", "d"}},
		"future version": {version: 3, typ: typeEvent, messageID: "{v3}", payload: []byte("{}"), destinationTenantGUIDs: []string{"{t}"}},
		"big version":    {version: 300, typ: typeEvent, messageID: "{v300}", payload: []byte("{}")},
	} {
		got, err := decodeMessage(encodeMessage(m))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if diff := cmp.Diff(m, got, cmpMessage); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}

// TestOtherEncodings: the payload and strings may be bin values, nil
// strings and arrays are empty, and trailing bytes are ignored, as in the
// Python client.
func TestOtherEncodings(t *testing.T) {
	b := []byte("\x02\x02" + "\xc4\x03{m}" + "\xc0" + "\xd9\x03{b}" + "\xc0" + "\x90" +
		"\xc5\x00\x02{}" + "\x90" + "\xa0" + "\x90" + "trailing")
	got, err := decodeMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	want := &dxlMessage{version: 2, typ: typeEvent, messageID: "{m}", sourceBrokerID: "{b}", payload: []byte("{}")}
	if diff := cmp.Diff(want, got, cmpMessage); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMalformed(t *testing.T) {
	for name, tc := range map[string]struct {
		b    string
		want string
	}{
		"empty":            {"", "the version is missing"},
		"text":             {"hello, world", "the message type 101 is unknown"},
		"json":             {`{"Summary": {}}`, "the message type 34 is unknown"},
		"unknown type":     {"\x02\x07", "the message type 7 is unknown"},
		"negative type":    {"\x02\xff", "the message type -1 is unknown"},
		"map payload":      {"\x02\x02\xa0\xa0\xa0\x90\x90\x80", "the payload is not a string (msgpack code 0x80)"},
		"int message id":   {"\x02\x02\x05", "the message id is not a string (msgpack code 0x05)"},
		"string in ids":    {"\x02\x02\xa0\xa0\xa0\xa1x", "the broker ids is not an array"},
		"int in ids":       {"\x02\x02\xa0\xa0\xa0\x91\x01", "element 1 of the broker ids is not a string"},
		"huge payload":     {"\x02\x02\xa0\xa0\xa0\x90\x90\xdb\xff\xff\xff\xff{}", "the payload of 4294967295 bytes is cut off"},
		"huge array":       {"\x02\x02\xa0\xa0\xa0\xdd\xff\xff\xff\xff", "the broker ids of 4294967295 elements is cut off"},
		"cut length":       {"\x02\x02\xda\x00", "the message id is cut off"},
		"huge uint64":      {"\xcf\xff\xff\xff\xff\xff\xff\xff\xff", "the version 18446744073709551615 is too large"},
		"no other fields":  {"\x01\x02\xa0\xa0\xa0\x90\x90\xa0", "the other fields is missing"},
		"no tenant fields": {"\x02\x02\xa0\xa0\xa0\x90\x90\xa0\x90", "the source tenant GUID is missing"},
	} {
		_, err := decodeMessage([]byte(tc.b))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
	if _, err := decodeMessage([]byte("\x02\x02\xda\x00\x10abc")); !errors.Is(err, errTruncated) {
		t.Errorf("a cut string gave %v, want errTruncated", err)
	}
}

func TestIntegers(t *testing.T) {
	for _, n := range []int64{0, 1, 127, 128, 255, 256, 65535, 65536, 1 << 32, -1, -32, -33, -128, -129, -32768, -32769, -1 << 31, -1<<31 - 1, -1 << 63} {
		var p pyPacker
		p.int(n)
		r := &reader{b: p.Bytes()}
		got, err := r.int("n")
		if err != nil || got != n || r.off != p.Len() {
			t.Errorf("%d: got %d, %v after %d of %d bytes", n, got, err, r.off, p.Len())
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(fixtureEvent)
	f.Add(encodeMessage(&dxlMessage{version: 2, typ: typeError, errorCode: 300}))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMessage(b)
		if err == nil && (m.typ < typeRequest || m.typ > typeError) {
			t.Errorf("decoded the unknown type %d", m.typ)
		}
	})
}
