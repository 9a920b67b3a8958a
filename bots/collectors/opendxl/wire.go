// SPDX-License-Identifier: AGPL-3.0-or-later

package opendxl

import (
	"errors"
	"fmt"
)

// The DXL message types (dxlclient.message.Message.MESSAGE_TYPE_*).
const (
	typeRequest  = 0
	typeResponse = 1
	typeEvent    = 2
	typeError    = 3
)

// typeName names a message type in the log.
func typeName(t int64) string {
	switch t {
	case typeRequest:
		return "request"
	case typeResponse:
		return "response"
	case typeEvent:
		return "event"
	case typeError:
		return "error response"
	}
	return fmt.Sprintf("type %d", t)
}

// dxlMessage is a DXL message as the OpenDXL clients put it into the
// payload of an MQTT PUBLISH: a sequence of msgpack values (not an array
// around them), in this order:
//
//	version, message type,
//	message id, source client id, source broker id,
//	broker ids (array), client ids (array), payload,
//	the fields of the type: request: reply-to topic, service id;
//	  response: request message id, service id; error response: request
//	  message id, service id, error code, error message; event: none,
//	version >= 1: other fields, an array of alternating keys and values,
//	version >= 2: source tenant GUID, destination tenant GUIDs (array).
//
// The Python client packs with msgpack < 1.0 and without use_bin_type,
// so strings and the payload alike are msgpack "raw" (str) values; other
// clients may send the payload as bin. Both are accepted everywhere.
type dxlMessage struct {
	version, typ   int64
	messageID      string
	sourceClientID string
	sourceBrokerID string
	brokerIDs      []string
	clientIDs      []string
	payload        []byte
	// The fields of requests, responses and error responses.
	replyToTopic     string
	requestMessageID string
	serviceID        string
	errorCode        int64
	errorMessage     string
	// otherFields holds the keys and values of version 1 in turn.
	otherFields []string
	// Version 2.
	sourceTenantGUID       string
	destinationTenantGUIDs []string
}

// errTruncated is a message that ends before its last field.
var errTruncated = errors.New("the message ends before its last field")

// decodeMessage decodes the DXL message in b, as dxlclient's
// Message._from_bytes does: the fields of the message's version and type
// must all be there, and what follows them is ignored. Lengths are
// checked against the bytes at hand before anything is allocated.
func decodeMessage(b []byte) (*dxlMessage, error) {
	r := &reader{b: b}
	m := &dxlMessage{}
	var err error
	if m.version, err = r.int("the version"); err != nil {
		return nil, err
	}
	if m.typ, err = r.int("the message type"); err != nil {
		return nil, err
	}
	if m.typ < typeRequest || m.typ > typeError {
		return nil, fmt.Errorf("the message type %d is unknown", m.typ)
	}
	if m.messageID, err = r.str("the message id"); err != nil {
		return nil, err
	}
	if m.sourceClientID, err = r.str("the source client id"); err != nil {
		return nil, err
	}
	if m.sourceBrokerID, err = r.str("the source broker id"); err != nil {
		return nil, err
	}
	if m.brokerIDs, err = r.strs("the broker ids"); err != nil {
		return nil, err
	}
	if m.clientIDs, err = r.strs("the client ids"); err != nil {
		return nil, err
	}
	if m.payload, err = r.raw("the payload"); err != nil {
		return nil, err
	}
	switch m.typ {
	case typeRequest:
		if m.replyToTopic, err = r.str("the reply-to topic"); err != nil {
			return nil, err
		}
		if m.serviceID, err = r.str("the service id"); err != nil {
			return nil, err
		}
	case typeResponse, typeError:
		if m.requestMessageID, err = r.str("the request message id"); err != nil {
			return nil, err
		}
		if m.serviceID, err = r.str("the service id"); err != nil {
			return nil, err
		}
		if m.typ == typeError {
			if m.errorCode, err = r.int("the error code"); err != nil {
				return nil, err
			}
			if m.errorMessage, err = r.str("the error message"); err != nil {
				return nil, err
			}
		}
	}
	if m.version > 0 {
		if m.otherFields, err = r.strs("the other fields"); err != nil {
			return nil, err
		}
	}
	if m.version > 1 {
		if m.sourceTenantGUID, err = r.str("the source tenant GUID"); err != nil {
			return nil, err
		}
		if m.destinationTenantGUIDs, err = r.strs("the destination tenant GUIDs"); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// reader reads the msgpack values a DXL message is made of: integers,
// strings or binary data, nil, and arrays of strings.
type reader struct {
	b   []byte
	off int
}

// msgpack format codes.
const (
	codeNil    = 0xc0
	codeBin8   = 0xc4
	codeBin16  = 0xc5
	codeBin32  = 0xc6
	codeUint8  = 0xcc
	codeUint16 = 0xcd
	codeUint32 = 0xce
	codeUint64 = 0xcf
	codeInt8   = 0xd0
	codeInt16  = 0xd1
	codeInt32  = 0xd2
	codeInt64  = 0xd3
	codeStr8   = 0xd9
	codeStr16  = 0xda
	codeStr32  = 0xdb
	codeArr16  = 0xdc
	codeArr32  = 0xdd
)

func (r *reader) take(n int) ([]byte, error) {
	if n < 0 || n > len(r.b)-r.off {
		return nil, errTruncated
	}
	b := r.b[r.off : r.off+n]
	r.off += n
	return b, nil
}

func (r *reader) code(what string) (byte, error) {
	b, err := r.take(1)
	if err != nil {
		return 0, fmt.Errorf("%s is missing: %w", what, err)
	}
	return b[0], nil
}

// uint reads the n-byte big-endian length or number after a code.
func (r *reader) uint(n int, what string) (uint64, error) {
	b, err := r.take(n)
	if err != nil {
		return 0, fmt.Errorf("%s is cut off: %w", what, err)
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v, nil
}

// int reads an integer in any of msgpack's integer formats.
func (r *reader) int(what string) (int64, error) {
	c, err := r.code(what)
	if err != nil {
		return 0, err
	}
	switch {
	case c <= 0x7f:
		return int64(c), nil
	case c >= 0xe0:
		return int64(int8(c)), nil
	}
	var size int
	signed := false
	switch c {
	case codeUint8:
		size = 1
	case codeUint16:
		size = 2
	case codeUint32:
		size = 4
	case codeUint64:
		size = 8
	case codeInt8:
		size, signed = 1, true
	case codeInt16:
		size, signed = 2, true
	case codeInt32:
		size, signed = 4, true
	case codeInt64:
		size, signed = 8, true
	default:
		return 0, fmt.Errorf("%s is not an integer (msgpack code 0x%02x)", what, c)
	}
	v, err := r.uint(size, what)
	if err != nil {
		return 0, err
	}
	if signed {
		shift := 64 - 8*size
		return int64(v<<shift) >> shift, nil
	}
	if v > 1<<63-1 {
		return 0, fmt.Errorf("%s %d is too large", what, v)
	}
	return int64(v), nil
}

// raw reads a string or binary value; nil reads as nil.
func (r *reader) raw(what string) ([]byte, error) {
	c, err := r.code(what)
	if err != nil {
		return nil, err
	}
	var n uint64
	switch {
	case c == codeNil:
		return nil, nil
	case c >= 0xa0 && c <= 0xbf:
		n = uint64(c & 0x1f)
	case c == codeStr8 || c == codeBin8:
		n, err = r.uint(1, what)
	case c == codeStr16 || c == codeBin16:
		n, err = r.uint(2, what)
	case c == codeStr32 || c == codeBin32:
		n, err = r.uint(4, what)
	default:
		return nil, fmt.Errorf("%s is not a string (msgpack code 0x%02x)", what, c)
	}
	if err != nil {
		return nil, err
	}
	if n > uint64(len(r.b)-r.off) {
		return nil, fmt.Errorf("%s of %d bytes is cut off: %w", what, n, errTruncated)
	}
	b, _ := r.take(int(n))
	return b, nil
}

func (r *reader) str(what string) (string, error) {
	b, err := r.raw(what)
	return string(b), err
}

// strs reads an array of strings; nil reads as no strings.
func (r *reader) strs(what string) ([]string, error) {
	c, err := r.code(what)
	if err != nil {
		return nil, err
	}
	var n uint64
	switch {
	case c == codeNil:
		return nil, nil
	case c >= 0x90 && c <= 0x9f:
		n = uint64(c & 0x0f)
	case c == codeArr16:
		n, err = r.uint(2, what)
	case c == codeArr32:
		n, err = r.uint(4, what)
	default:
		return nil, fmt.Errorf("%s is not an array (msgpack code 0x%02x)", what, c)
	}
	if err != nil {
		return nil, err
	}
	// Each element takes a byte at least.
	if n > uint64(len(r.b)-r.off) {
		return nil, fmt.Errorf("%s of %d elements is cut off: %w", what, n, errTruncated)
	}
	out := make([]string, 0, n)
	for i := range n {
		s, err := r.str(fmt.Sprintf("element %d of %s", i+1, what))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
