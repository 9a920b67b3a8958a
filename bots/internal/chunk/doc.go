// SPDX-License-Identifier: AGPL-3.0-or-later

// Package chunk cuts a large text document into pieces that a line-by-line
// parser reads on its own: each piece repeats the document's header (its
// leading comment and blank lines and the parser's header rows) and ends
// at a line end outside double-quoted fields, so a CSV record whose quoted
// field spans lines stays whole. The file and http collectors use it to
// send a large file as many small reports instead of one that memory must
// hold several times over.
//
// It imports runtime/botapi (the parameters) and the standard library only.
package chunk
