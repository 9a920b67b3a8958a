// SPDX-License-Identifier: AGPL-3.0-or-later

package chunk

import (
	"bufio"
	"io"
	"slices"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// The parameters of the automatic split, shared by the collectors that
// offer it.
const (
	ParamAutoAbove  = "chunk_auto_above"
	ParamAutoSize   = "chunk_auto_size"
	ParamHeaderRows = "chunk_header_rows"

	// Files above 16 MiB are cut into reports of 1 MiB. Each report is
	// held, encoded and queued several times over (raw is base64 in the
	// report, the report JSON on the queue, copied by the queue and the
	// parser), so a 100 MB file sent whole needs about ten times its size
	// in memory, while 1 MiB reports need a few megabytes.
	DefaultAutoAbove = 16 << 20
	DefaultAutoSize  = 1 << 20
)

// Params declares the automatic split's parameters; what names the
// document in their docs ("file", "download").
func Params(what string) []botapi.Param {
	return []botapi.Param{
		{Name: ParamAutoAbove, Type: botapi.TypeInt, Default: int64(DefaultAutoAbove),
			Doc: "Split a " + what + " of line-oriented text larger than this many bytes into reports of chunk_auto_size bytes, " +
				"at line ends outside quoted fields, each starting with the " + what + "'s header (see chunk_header_rows), " +
				"so that a large " + what + " does not have to fit in memory several times over; 0 never splits."},
		{Name: ParamAutoSize, Type: botapi.TypeInt, Default: int64(DefaultAutoSize),
			Doc: "The size in bytes of the reports of an automatic split (chunk_auto_above), header excluded."},
		{Name: ParamHeaderRows, Type: botapi.TypeInt,
			Doc: "The header an automatic split repeats is the " + what + "'s leading comment (#) and blank lines and this many lines after them: " +
				"1 for a CSV " + what + " with a header row that its parser reads. Default: what the feed's parser reads as a header " +
				"(its skipped lines and header row), or 0 when the collector runs without its parser. " +
				"A feed whose parser needs each report whole (JSON, an HTML table, a Go parser bot, an expression over the whole text) is never split automatically."},
	}
}

// Auto is a collector's automatic split: documents above Above bytes are
// sent as pieces of Size bytes, each repeating the header and HeaderRows
// rows after it. Above 0 turns it off.
type Auto struct {
	Above      int64
	Size       int
	HeaderRows int
}

// AutoFrom reads the split's parameters. The header rows default to what
// the feed's parser reads as a header (botapi.ParserHint), and a feed whose
// parser needs whole reports is never split.
func AutoFrom(bc *botapi.Context, p botapi.Params) Auto {
	a := Auto{Above: p.Int(ParamAutoAbove), Size: int(p.Int(ParamAutoSize)), HeaderRows: int(p.Int(ParamHeaderRows))}
	if bc.Feed == nil || bc.Feed.Parser == nil {
		return a
	}
	h := bc.Feed.Parser
	if h.Whole {
		a.Above = 0 // the parser cannot read a piece on its own
	}
	if !slices.Contains(p.Names(), ParamHeaderRows) {
		a.HeaderRows = h.HeaderRows
	}
	return a
}

// Validate checks the parameters; an error is a *botapi.ParamError.
func (a Auto) Validate() error {
	switch {
	case a.Above < 0:
		return botapi.ParamErrorf(ParamAutoAbove, "must not be negative, got %d", a.Above)
	case a.Above > 0 && a.Size <= 0:
		return botapi.ParamErrorf(ParamAutoSize, "must be positive, got %d", a.Size)
	case a.HeaderRows < 0:
		return botapi.ParamErrorf(ParamHeaderRows, "must not be negative, got %d", a.HeaderRows)
	}
	return nil
}

// Prepare decides whether the document r of size bytes is split: it is
// when it is larger than Above, line-oriented text, and its header (see
// Header) ends within MaxHeader bytes. It reports whether to split, the
// header to repeat (empty for a document without one), and the reader of
// the rest: the body after the header, or the whole document when it is
// sent whole (no byte lost).
func (a Auto) Prepare(r io.Reader, size int64) (header []byte, split bool, rest io.Reader, err error) {
	if a.Above <= 0 || size <= a.Above {
		return nil, false, r, nil
	}
	br := bufio.NewReaderSize(r, MaxHeader)
	sample, err := br.Peek(MaxHeader)
	if err != nil && err != io.EOF {
		return nil, false, br, err
	}
	n, ok := Header(sample, a.HeaderRows)
	if !ok {
		return nil, false, br, nil
	}
	header = append([]byte(nil), sample[:n]...)
	if _, err := br.Discard(n); err != nil {
		return nil, false, br, err
	}
	return header, true, br, nil
}
