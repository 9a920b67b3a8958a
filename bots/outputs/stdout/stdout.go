// SPDX-License-Identifier: AGPL-3.0-or-later

package stdout

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"

	"github.com/intelmq-go/intelmq/bots/internal/export"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "output.stdout"

// paramFormat is the name of the format parameter.
const paramFormat = "format"

// The values of the format parameter.
const (
	formatJSON   = "json"
	formatPretty = "pprint"
)

// Spec returns the declaration of the stdout output.
func Spec() botapi.Spec {
	params := []botapi.Param{
		{Name: paramFormat, Type: botapi.TypeString, Default: formatJSON,
			Doc: "\"json\" writes one line per event, like the file output; \"pprint\" writes each event as indented JSON for reading."},
	}
	return botapi.Spec{
		ID:     ID,
		Kind:   botapi.KindOutput,
		Doc:    "Writes every event to standard output as JSON with sorted keys, like the file output.",
		Params: append(params, export.Params()...),
	}
}

// Register adds the stdout output to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Output is the stdout output.
type Output struct {
	export export.Options
	schema *harmonization.Schema // single_key is checked against it
	pretty bool
	format string
	w      *bufio.Writer
	line   []byte
	indent bytes.Buffer
}

var (
	_ botapi.Processor = (*Output)(nil)
	_ botapi.Validator = (*Output)(nil)
	_ botapi.Flusher   = (*Output)(nil)
	_ botapi.Closer    = (*Output)(nil)
)

// New returns a stdout output writing to os.Stdout.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	o := NewWriter(p, os.Stdout)
	o.schema = bc.Schema
	return o, nil
}

// NewWriter returns the output writing to w instead of standard output.
func NewWriter(p botapi.Params, w io.Writer) *Output {
	format := p.String(paramFormat)
	return &Output{export: export.FromParams(p), format: format, pretty: format == formatPretty, w: bufio.NewWriter(w)}
}

// Validate checks the format.
func (o *Output) Validate() error {
	if o.format != formatJSON && o.format != formatPretty {
		return botapi.ParamErrorf(paramFormat, "must be %q or %q, not %q", formatJSON, formatPretty, o.format)
	}
	return o.export.Check(o.schema)
}

// Process writes msg as one line, or indented with format "pprint".
func (o *Output) Process(_ context.Context, msg *message.Message, _ botapi.Sender) error {
	var err error
	if o.line, err = o.export.Append(o.line[:0], msg); err != nil {
		return botapi.Permanent(err)
	}
	if o.pretty && o.export.SingleKey == "" {
		o.indent.Reset()
		if err := json.Indent(&o.indent, o.line, "", "    "); err != nil {
			return botapi.Permanent(err)
		}
		o.line = append(o.line[:0], o.indent.Bytes()...)
	}
	o.line = append(o.line, '\n')
	_, err = o.w.Write(o.line)
	return err
}

// Flush writes the buffered lines.
func (o *Output) Flush(context.Context) error { return o.w.Flush() }

// Close writes what is still buffered.
func (o *Output) Close() error { return o.w.Flush() }
