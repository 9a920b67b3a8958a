// SPDX-License-Identifier: AGPL-3.0-or-later

package stomp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The STOMP commands the collector sends and understands.
const (
	cmdConnect    = "CONNECT"
	cmdConnected  = "CONNECTED"
	cmdSubscribe  = "SUBSCRIBE"
	cmdMessage    = "MESSAGE"
	cmdAck        = "ACK"
	cmdReceipt    = "RECEIPT"
	cmdError      = "ERROR"
	cmdDisconnect = "DISCONNECT"
)

// Limits of the frames read, against a server sending garbage.
const (
	maxHeaderBytes = 256 << 10 // the command and headers of one frame
	maxHeaders     = 1000
)

// header is one header of a frame, in the order of the frame.
type header struct{ name, value string }

// frame is a STOMP frame. A repeated header keeps all its occurrences;
// get returns the first, which is the one that counts (STOMP 1.2).
type frame struct {
	command string
	headers []header
	body    []byte
	// oversize is set on a frame read whose body was longer than the
	// limit: the body was discarded and body is nil.
	oversize bool
	// size is the length of the body received, also when it was discarded.
	size int64
	// bad, when set, says why a header of the frame could not be decoded;
	// the frame was read to its end, so the next frame can follow.
	bad error
}

func newFrame(command string, kv ...string) *frame {
	f := &frame{command: command}
	for i := 0; i+1 < len(kv); i += 2 {
		f.headers = append(f.headers, header{kv[i], kv[i+1]})
	}
	return f
}

// get returns the value of the first header called name.
func (f *frame) get(name string) (string, bool) {
	for _, h := range f.headers {
		if h.name == name {
			return h.value, true
		}
	}
	return "", false
}

// protocolError is a stream that does not follow STOMP framing: the
// connection cannot be trusted beyond it.
type protocolError struct{ msg string }

func (e *protocolError) Error() string { return "STOMP protocol error: " + e.msg }

func protocolErrorf(format string, args ...any) error {
	return &protocolError{msg: fmt.Sprintf(format, args...)}
}

// escapes says which header escaping a frame uses: none for CONNECT and
// CONNECTED and for STOMP 1.0, \n \c \\ for 1.1, and \r too for 1.2.
type escapes uint8

const (
	escapeNone escapes = iota
	escape11
	escape12
)

func escapesFor(version, command string) escapes {
	if command == cmdConnect || command == cmdConnected {
		return escapeNone
	}
	switch version {
	case "1.2":
		return escape12
	case "1.1":
		return escape11
	}
	return escapeNone
}

// encodeHeader escapes s for a header name or value.
func encodeHeader(s string, esc escapes) string {
	if esc == escapeNone || !strings.ContainsAny(s, "\\\n\r:") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == ':':
			b.WriteString(`\c`)
		case c == '\r' && esc == escape12:
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// decodeHeader undoes encodeHeader; an escape sequence STOMP does not
// define is an error.
func decodeHeader(s string, esc escapes) (string, error) {
	if esc == escapeNone || !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(s) {
			return "", fmt.Errorf("header %q ends with a lone backslash", s)
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'c':
			b.WriteByte(':')
		case 'r':
			if esc != escape12 {
				return "", fmt.Errorf("header %q holds the escape \\r, which STOMP 1.1 does not define", s)
			}
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf("header %q holds the undefined escape \\%c", s, s[i])
		}
	}
	return b.String(), nil
}

// writeFrame writes f with the header escaping of version. Client frames
// carry no body here, but a body is written with its content-length.
func writeFrame(w *bufio.Writer, f *frame, version string) error {
	esc := escapesFor(version, f.command)
	w.WriteString(f.command)
	w.WriteByte('\n')
	for _, h := range f.headers {
		w.WriteString(encodeHeader(h.name, esc))
		w.WriteByte(':')
		w.WriteString(encodeHeader(h.value, esc))
		w.WriteByte('\n')
	}
	if len(f.body) > 0 {
		fmt.Fprintf(w, "content-length:%d\n", len(f.body))
	}
	w.WriteByte('\n')
	w.Write(f.body)
	w.WriteByte(0)
	return w.Flush()
}

// frameReader reads the frames of a server.
type frameReader struct {
	r *bufio.Reader
	// version is the negotiated STOMP version, "" before CONNECTED.
	version string
	// maxBody is the longest body kept; a longer one is discarded and the
	// frame marked oversize.
	maxBody int64
}

// read returns the next frame, skipping the heart-beats (end-of-lines)
// before it. An io error, or a stream that breaks STOMP framing (a
// *protocolError), leaves the connection unusable. A frame whose headers
// cannot be decoded is returned with bad set.
func (fr *frameReader) read() (*frame, error) {
	budget := maxHeaderBytes
	var command string
	for {
		line, err := fr.line(&budget)
		if err != nil {
			return nil, err
		}
		if line != "" { // an empty line is a heart-beat
			command = line
			break
		}
		budget = maxHeaderBytes
	}
	f := &frame{command: command}
	esc := escapesFor(fr.version, command)
	for {
		line, err := fr.line(&budget)
		if err != nil {
			return nil, err
		}
		if line == "" {
			break
		}
		if len(f.headers) == maxHeaders {
			return nil, protocolErrorf("a %s frame has more than %d headers", command, maxHeaders)
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			f.bad = firstErr(f.bad, fmt.Errorf("the header line %q has no colon", line))
			continue
		}
		n, err1 := decodeHeader(name, esc)
		v, err2 := decodeHeader(value, esc)
		if err := errors.Join(err1, err2); err != nil {
			f.bad = firstErr(f.bad, err)
			continue
		}
		f.headers = append(f.headers, header{n, v})
	}
	if err := fr.body(f); err != nil {
		return nil, err
	}
	return f, nil
}

// firstErr keeps the first error.
func firstErr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

// line reads one line of the command and headers, without its [CR]LF,
// charging its length to budget.
func (fr *frameReader) line(budget *int) (string, error) {
	var buf []byte
	for {
		chunk, err := fr.r.ReadSlice('\n')
		if len(buf)+len(chunk) > *budget {
			return "", protocolErrorf("the command and headers of a frame exceed %d bytes", maxHeaderBytes)
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			if err == io.EOF && len(buf) > 0 {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
		*budget -= len(buf)
		buf = buf[:len(buf)-1]
		if n := len(buf); n > 0 && buf[n-1] == '\r' {
			buf = buf[:n-1]
		}
		return string(buf), nil
	}
}

// body reads the body of f and its closing NUL: content-length octets
// when the header is given (the body may then hold NULs), else up to the
// first NUL.
func (fr *frameReader) body(f *frame) error {
	if cl, ok := f.get("content-length"); ok {
		n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64)
		if err != nil || n < 0 {
			return protocolErrorf("a %s frame has the content-length %q, which is no length", f.command, cl)
		}
		f.size = n
		if n > fr.maxBody {
			f.oversize = true
			if _, err := io.CopyN(io.Discard, fr.r, n); err != nil {
				return unexpected(err)
			}
		} else {
			f.body = make([]byte, n)
			if _, err := io.ReadFull(fr.r, f.body); err != nil {
				return unexpected(err)
			}
		}
		b, err := fr.r.ReadByte()
		if err != nil {
			return unexpected(err)
		}
		if b != 0 {
			return protocolErrorf("the body of a %s frame is not followed by NUL after its content-length of %d bytes", f.command, n)
		}
		return nil
	}
	var body []byte
	for {
		chunk, err := fr.r.ReadSlice(0)
		f.size += int64(len(chunk))
		if !f.oversize {
			if int64(len(body)+len(chunk)) > fr.maxBody+1 { // +1: the NUL
				f.oversize = true
				body = nil
			} else {
				body = append(body, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return unexpected(err)
		}
		f.size--
		if !f.oversize {
			f.body = body[:len(body)-1]
		}
		return nil
	}
}

// unexpected turns an end of stream inside a frame into
// io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// describe names a frame for the log: its command and, when known, its
// message-id.
func (f *frame) describe() string {
	if id, ok := f.get("message-id"); ok {
		return fmt.Sprintf("the %s frame with message-id %q", f.command, id)
	}
	return "a " + f.command + " frame"
}

// maxErrorText bounds the text of an ERROR frame in the log.
const maxErrorText = 1000

// errorText is the text of an ERROR frame for the log: its message header
// and body on one line, cut to maxErrorText bytes.
func (f *frame) errorText() string {
	msg, _ := f.get("message")
	msg = strings.Join(strings.Fields(msg), " ")
	body := strings.Join(strings.Fields(string(bytes.ToValidUTF8(f.body, []byte("\uFFFD")))), " ")
	var text string
	switch {
	case msg == "" && body == "":
		text = "no details"
	case body == "" || body == msg:
		text = msg
	case msg == "":
		text = body
	default:
		text = msg + ": " + body
	}
	if len(text) > maxErrorText {
		text = strings.ToValidUTF8(text[:maxErrorText], "") + "..."
	}
	return text
}
