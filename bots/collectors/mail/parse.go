// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"path"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// maxDepth bounds the nesting of multiparts and attached mails.
const maxDepth = 16

// headerInfo is what a Report takes from a mail's header.
type headerInfo struct {
	Subject   string // decoded (RFC 2047), unfolded
	From      string // the sender addresses, comma-separated
	MessageID string
	Date      string // the Date header as written
}

// parsedMail is a mail split as IntelMQ's mail library (imbox) does: the
// inline text/plain and text/html parts are bodies, the other parts with
// a Content-Disposition of attachment or inline are attachments.
type parsedMail struct {
	headerInfo
	Plain, HTML []part
	Attachments []part
	// Defects are the parts that could not be split, for the log.
	Defects []string
}

// part is one body or attachment. Err is set when its content could not
// be decoded; Data then holds what could be read.
type part struct {
	Name string // the attachment's file name; empty for a body
	Data []byte
	Err  error
}

// newWordDecoder returns a decoder of RFC 2047 words in any charset
// x/text knows.
func newWordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: charsetReader}
}

func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q", charset)
	}
	return enc.NewDecoder().Reader(input), nil
}

// decodeWords decodes the RFC 2047 words of a header value; a value that
// cannot be decoded is returned as it is.
func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	out, err := newWordDecoder().DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}

// readHeader parses a mail's header (the whole mail or the header
// section alone).
func readHeader(raw []byte) (netmail.Header, []byte, error) {
	if !bytes.Contains(raw, []byte("\n\n")) && !bytes.Contains(raw, []byte("\r\n\r\n")) {
		raw = append(bytes.TrimRight(raw, "\r\n"), "\r\n\r\n"...)
	}
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, fmt.Errorf("malformed mail header: %w", err)
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return nil, nil, err
	}
	return m.Header, body, nil
}

// infoOf returns the Report fields of a header.
func infoOf(h netmail.Header) headerInfo {
	info := headerInfo{
		Subject:   decodeWords(strings.TrimSpace(h.Get("Subject"))),
		MessageID: strings.TrimSpace(h.Get("Message-Id")),
		Date:      strings.TrimSpace(h.Get("Date")),
	}
	from := strings.TrimSpace(h.Get("From"))
	if list, err := (&netmail.AddressParser{WordDecoder: newWordDecoder()}).ParseList(from); err == nil && len(list) > 0 {
		addrs := make([]string, len(list))
		for i, a := range list {
			addrs[i] = a.Address
		}
		info.From = strings.Join(addrs, ",")
	} else {
		info.From = decodeWords(from)
	}
	return info
}

// parseMail splits a whole mail into its bodies and attachments.
func parseMail(raw []byte) (*parsedMail, error) {
	h, body, err := readHeader(raw)
	if err != nil {
		return nil, err
	}
	m := &parsedMail{headerInfo: infoOf(h)}
	m.walk(textproto.MIMEHeader(h), body, 0)
	return m, nil
}

// walk adds the parts of an entity to m.
func (m *parsedMail) walk(h textproto.MIMEHeader, body []byte, depth int) {
	ct, params := contentType(h)
	switch {
	case strings.HasPrefix(ct, "multipart/") && params["boundary"] != "" && depth < maxDepth:
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				m.Defects = append(m.Defects, fmt.Sprintf("%s: %v", ct, err))
				return
			}
			data, err := io.ReadAll(p)
			if err != nil {
				// A truncated last part (no closing boundary) keeps what
				// was read.
				if len(data) > 0 {
					m.walk(p.Header, data, depth+1)
				}
				m.Defects = append(m.Defects, fmt.Sprintf("%s: %v", ct, err))
				return
			}
			m.walk(p.Header, data, depth+1)
		}
	case ct == "message/rfc822" && depth < maxDepth:
		data, err := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
		if err == nil {
			if inner, innerBody, err := readHeader(data); err == nil {
				m.walk(textproto.MIMEHeader(inner), innerBody, depth+1)
				return
			}
		}
		m.leaf(h, ct, params, body)
	default:
		m.leaf(h, ct, params, body)
	}
}

// leaf files a part that holds content as a body or an attachment, as
// imbox does: inline (or no disposition) text/plain and text/html are
// bodies; a part with an attachment or inline disposition is an
// attachment; other parts are ignored.
func (m *parsedMail) leaf(h textproto.MIMEHeader, ct string, params map[string]string, body []byte) {
	disposition, dparams, hasDisposition := contentDisposition(h)
	inline := !hasDisposition || disposition == "inline"
	data, err := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	switch {
	case ct == "text/plain" && inline, ct == "text/html" && inline:
		if err == nil {
			data = decodeCharset(data, params["charset"])
		}
		p := part{Data: data, Err: err}
		if ct == "text/plain" {
			m.Plain = append(m.Plain, p)
		} else {
			m.HTML = append(m.HTML, p)
		}
	case hasDisposition && (disposition == "attachment" || disposition == "inline"):
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		m.Attachments = append(m.Attachments, part{Name: fileName(name), Data: data, Err: err})
	}
}

// contentType returns the media type (lower case) and parameters of a
// part; a missing or malformed header is text/plain, as RFC 2045 says.
func contentType(h textproto.MIMEHeader) (string, map[string]string) {
	v := h.Get("Content-Type")
	if v == "" {
		return "text/plain", map[string]string{}
	}
	ct, params, err := mime.ParseMediaType(v)
	if err != nil {
		ct, params = lenientMediaType(v)
	}
	if ct == "" {
		ct = "text/plain"
	}
	return ct, params
}

// contentDisposition returns the disposition (lower case) and its
// parameters, and whether the part has the header.
func contentDisposition(h textproto.MIMEHeader) (string, map[string]string, bool) {
	v := strings.TrimSpace(h.Get("Content-Disposition"))
	if v == "" {
		return "", nil, false
	}
	d, params, err := mime.ParseMediaType(v)
	if err != nil {
		d, params = lenientMediaType(v)
	}
	return d, params, true
}

// lenientMediaType reads a header value that mime.ParseMediaType rejects
// (unquoted spaces, stray semicolons): the value before the first
// semicolon, and key=value pairs with quotes removed.
func lenientMediaType(v string) (string, map[string]string) {
	fields := strings.Split(v, ";")
	params := map[string]string{}
	for _, f := range fields[1:] {
		k, val, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		val = strings.Trim(strings.TrimSpace(val), `"`)
		if k != "" && params[k] == "" {
			params[k] = val
		}
	}
	return strings.ToLower(strings.TrimSpace(fields[0])), params
}

// fileName decodes an attachment's name (RFC 2047 words, which many
// mailers use despite RFC 2231) and keeps its last path element.
func fileName(name string) string {
	name = strings.TrimSpace(decodeWords(name))
	if name == "" {
		return ""
	}
	return path.Base(strings.ReplaceAll(name, `\`, "/"))
}

// decodeTransfer undoes a Content-Transfer-Encoding. Base64 is read
// ignoring line breaks and missing padding; quoted-printable that is not
// valid is kept as it is.
func decodeTransfer(encoding string, body []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, body)
		clean = bytes.TrimRight(clean, "=")
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		n, err := base64.RawStdEncoding.Decode(out, clean)
		if err != nil {
			return out[:n], fmt.Errorf("invalid base64 content: %w", err)
		}
		return out[:n], nil
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil {
			return body, nil
		}
		return out, nil
	}
	return body, nil
}

// decodeCharset converts text in charset to UTF-8; text in an unknown
// charset, or that does not decode, is kept as it is.
func decodeCharset(data []byte, charset string) []byte {
	charset = strings.ToLower(strings.TrimSpace(charset))
	if charset == "" || charset == "utf-8" || charset == "us-ascii" || charset == "utf8" {
		return data
	}
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return data
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return data
	}
	return out
}
