// SPDX-License-Identifier: AGPL-3.0-or-later

package stomp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func reader(s, version string, maxBody int64) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(strings.NewReader(s), 16), version: version, maxBody: maxBody}
}

func TestHeaderEscapes(t *testing.T) {
	for _, c := range []struct {
		plain, v12, v11 string
	}{
		{"plain", "plain", "plain"},
		{"a:b", `a\cb`, `a\cb`},
		{"back\\slash", `back\\slash`, `back\\slash`},
		{"line\nfeed", `line\nfeed`, `line\nfeed`},
		{"carriage\rreturn", `carriage\rreturn`, "carriage\rreturn"},
	} {
		if got := encodeHeader(c.plain, escape12); got != c.v12 {
			t.Errorf("encode 1.2 %q = %q, want %q", c.plain, got, c.v12)
		}
		if got := encodeHeader(c.plain, escape11); got != c.v11 {
			t.Errorf("encode 1.1 %q = %q, want %q", c.plain, got, c.v11)
		}
		if got, err := decodeHeader(c.v12, escape12); err != nil || got != c.plain {
			t.Errorf("decode 1.2 %q = %q, %v, want %q", c.v12, got, err, c.plain)
		}
		if got := encodeHeader(c.plain, escapeNone); got != c.plain {
			t.Errorf("CONNECT headers are not escaped: %q became %q", c.plain, got)
		}
	}
	for _, bad := range []string{`a\tb`, `a\`, `\x`} {
		if _, err := decodeHeader(bad, escape12); err == nil {
			t.Errorf("decode %q: no error for an undefined escape", bad)
		}
	}
	if _, err := decodeHeader(`a\rb`, escape11); err == nil {
		t.Error(`decode 1.1 "a\rb": STOMP 1.1 has no \r escape`)
	}
	if got, err := decodeHeader(`a\cb`, escapeNone); err != nil || got != `a\cb` {
		t.Errorf("CONNECTED headers are not unescaped, got %q, %v", got, err)
	}
}

// TestReadFrames: heart-beats between frames are skipped, CRLF line ends
// are accepted, the first of repeated headers wins, a content-length body
// may hold NUL, and a body without content-length ends at the first NUL.
func TestReadFrames(t *testing.T) {
	in := "\n\r\nCONNECTED\r\nversion:1.2\r\nheart-beat:0,0\r\n\r\n\x00\n\n" +
		"MESSAGE\nmessage-id:a\\cb\nmessage-id:second\ncontent-length:5\n\nx\x00y\x00z\x00\n" +
		"MESSAGE\nmessage-id:2\n\nplain body\x00" +
		"RECEIPT\nreceipt-id:r\n\n\x00"
	fr := reader(in, "1.2", 1<<20)
	var got []string
	for {
		f, err := fr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		id, _ := f.get("message-id")
		got = append(got, f.command+"|"+id+"|"+string(f.body))
	}
	want := []string{"CONNECTED||", "MESSAGE|a:b|x\x00y\x00z", "MESSAGE|2|plain body", "RECEIPT||"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("frames (-want +got):\n%s", diff)
	}
}

func TestReadFrameErrors(t *testing.T) {
	for name, c := range map[string]struct {
		in       string
		protocol bool
	}{
		"no NUL after content-length": {"MESSAGE\ncontent-length:2\n\nabc\x00", true},
		"bad content-length":          {"MESSAGE\ncontent-length:x\n\nabc\x00", true},
		"negative content-length":     {"MESSAGE\ncontent-length:-1\n\n\x00", true},
		"end in headers":              {"MESSAGE\nmessage-id:1", false},
		"end in body":                 {"MESSAGE\n\nabc", false},
		"end in counted body":         {"MESSAGE\ncontent-length:10\n\nabc", false},
		"huge header":                 {"MESSAGE\nx:" + strings.Repeat("y", maxHeaderBytes) + "\n\n\x00", true},
		"too many headers":            {"MESSAGE\n" + strings.Repeat("a:b\n", maxHeaders+1) + "\n\x00", true},
	} {
		_, err := reader(c.in, "1.2", 1<<20).read()
		var pe *protocolError
		switch {
		case err == nil:
			t.Errorf("%s: no error", name)
		case c.protocol && !errors.As(err, &pe):
			t.Errorf("%s: %v, want a protocol error", name, err)
		case !c.protocol && !errors.Is(err, io.ErrUnexpectedEOF):
			t.Errorf("%s: %v, want an unexpected end", name, err)
		}
	}
}

// TestReadFrameBad: a header that cannot be decoded marks the frame, which
// is read to its end so that the next frame follows.
func TestReadFrameBad(t *testing.T) {
	fr := reader("MESSAGE\nmessage-id:1\nnocolon\nx:a\\tb\n\nbody\x00MESSAGE\nmessage-id:2\n\nnext\x00", "1.2", 1<<20)
	f, err := fr.read()
	if err != nil || f.bad == nil || !strings.Contains(f.bad.Error(), "no colon") {
		t.Fatalf("frame %+v, %v: want it marked bad for the line without colon", f, err)
	}
	f, err = fr.read()
	if err != nil || f.bad != nil || string(f.body) != "next" {
		t.Fatalf("next frame %+v, %v", f, err)
	}
}

// TestReadFrameOversize: a body above the limit is discarded, with or
// without content-length, and the stream goes on.
func TestReadFrameOversize(t *testing.T) {
	in := "MESSAGE\ncontent-length:40\n\n" + strings.Repeat("a", 40) + "\x00" +
		"MESSAGE\n\n" + strings.Repeat("b", 40) + "\x00" +
		"MESSAGE\n\n" + strings.Repeat("c", 10) + "\x00"
	fr := reader(in, "1.2", 10)
	for i, want := range []struct {
		oversize bool
		size     int64
	}{{true, 40}, {true, 40}, {false, 10}} {
		f, err := fr.read()
		if err != nil {
			t.Fatal(err)
		}
		if f.oversize != want.oversize || f.size != want.size || (f.oversize && f.body != nil) {
			t.Errorf("frame %d: oversize %v size %d body %d bytes, want %v %d", i, f.oversize, f.size, len(f.body), want.oversize, want.size)
		}
	}
}

// TestWriteFrame: client frames are escaped per version, except CONNECT.
func TestWriteFrame(t *testing.T) {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := writeFrame(w, newFrame(cmdConnect, "passcode", "a:b\\c"), ""); err != nil {
		t.Fatal(err)
	}
	if err := writeFrame(w, newFrame(cmdAck, "id", "a:b\\c\r\n"), "1.2"); err != nil {
		t.Fatal(err)
	}
	if err := writeFrame(w, newFrame(cmdAck, "message-id", "a:b\r"), "1.1"); err != nil {
		t.Fatal(err)
	}
	want := "CONNECT\npasscode:a:b\\c\n\n\x00" + "ACK\nid:a\\cb\\\\c\\r\\n\n\n\x00" + "ACK\nmessage-id:a\\cb\r\n\n\x00"
	if got := b.String(); got != want {
		t.Errorf("wire %q, want %q", got, want)
	}
}

// TestErrorText: the text of an ERROR frame is one line, of bounded
// length.
func TestErrorText(t *testing.T) {
	for _, c := range []struct {
		f    *frame
		want string
	}{
		{&frame{command: cmdError}, "no details"},
		{&frame{command: cmdError, headers: []header{{"message", "bad"}}, body: []byte("bad\n")}, "bad"},
		{&frame{command: cmdError, body: []byte("line one\nline two\n")}, "line one line two"},
		{&frame{command: cmdError, headers: []header{{"message", "m"}}, body: []byte(strings.Repeat("x", 2000))}, "m: " + strings.Repeat("x", maxErrorText-3) + "..."},
	} {
		if got := c.f.errorText(); got != c.want {
			t.Errorf("errorText = %q, want %q", got, c.want)
		}
	}
}

// FuzzReadFrame: no input makes the reader panic or loop.
func FuzzReadFrame(f *testing.F) {
	f.Add("MESSAGE\nmessage-id:1\ncontent-length:3\n\na\x00b\x00")
	f.Add("\n\nERROR\nmessage:x\\c\n\nbody\x00")
	f.Add("MESSAGE\ncontent-length:99999999999\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		fr := reader(in, "1.2", 1<<10)
		for range 100 {
			if _, err := fr.read(); err != nil {
				return
			}
		}
	})
}
