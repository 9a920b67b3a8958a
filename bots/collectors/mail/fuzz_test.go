// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseMail: any mail parses or fails without a panic, and every part
// found holds at most the mail's bytes.
func FuzzParseMail(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.eml"))
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add(crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := parseMail(raw)
		if err != nil {
			return
		}
		for _, parts := range [][]part{m.Plain, m.HTML, m.Attachments} {
			for _, p := range parts {
				// Decoding shrinks base64 and quoted-printable; a charset
				// may grow text up to 3 bytes per input byte.
				if len(p.Data) > 3*len(raw)+3 {
					t.Fatalf("a part of %d bytes from a mail of %d", len(p.Data), len(raw))
				}
			}
		}
	})
}
