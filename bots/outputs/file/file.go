// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/intelmq-go/intelmq/bots/internal/export"
	"github.com/intelmq-go/intelmq/bots/internal/pyformat"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/datetime"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "output.file"

// Parameter names.
const (
	paramFile           = "file"
	paramFormatFilename = "format_filename"
	paramSync           = "sync"
)

// eventArgument is the name templates use: {event[source.ip]}.
const eventArgument = "event"

// Spec returns the declaration of the file output.
func Spec() botapi.Spec {
	params := []botapi.Param{
		{Name: paramFile, Type: botapi.TypeString, Required: true,
			Doc: "The file the events are appended to, one JSON object per line; its directory is created when missing."},
		{Name: paramFormatFilename, Type: botapi.TypeBool, Default: false,
			Doc: "Treat file as a Python format string over the event, e.g. \"/var/lib/intelmq/{event[feed.name]}-{event[time.source]:%Y-%m-%d}.json\"; time.source and time.observation are datetimes formatted with strftime."},
		{Name: paramSync, Type: botapi.TypeBool, Default: false,
			Doc: "Call fsync after each batch, so written events survive a crash of the machine, not only of the process."},
	}
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindOutput,
		Doc: "Appends each event to a file as one JSON line with sorted keys, byte for byte as IntelMQ's file output " +
			"writes it (UTF-8, raw removed unless keep_raw_field), optionally to a file name built from the event.",
		Params: append(params, export.Params()...),
	}
}

// Register adds the file output to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Output is the file output. Lines are buffered and written out when the
// runner flushes the batch, before the batch is acknowledged.
type Output struct {
	bc       *botapi.Context
	file     string
	template *pyformat.Template // nil without format_filename
	export   export.Options
	sync     bool

	files map[string]*openFile
	line  []byte
}

// openFile is an open output file with its buffer.
type openFile struct {
	f *os.File
	w *bufio.Writer
}

var (
	_ botapi.Processor = (*Output)(nil)
	_ botapi.Validator = (*Output)(nil)
	_ botapi.Starter   = (*Output)(nil)
	_ botapi.Flusher   = (*Output)(nil)
	_ botapi.Closer    = (*Output)(nil)
)

// New builds the file output from its parameters; the file is opened in
// Start (or, with format_filename, when the first event names it).
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	o := &Output{
		bc:     bc,
		file:   p.String(paramFile),
		export: export.FromParams(p),
		sync:   p.Bool(paramSync),
		files:  map[string]*openFile{},
	}
	if p.Bool(paramFormatFilename) {
		t, err := pyformat.Parse(o.file)
		if err != nil {
			return nil, &botapi.ParamError{Name: paramFile, Err: err}
		}
		o.template = t
	}
	return o, nil
}

// Validate checks the file name and its placeholders.
func (o *Output) Validate() error {
	if o.file == "" {
		return botapi.ParamErrorf(paramFile, "is empty")
	}
	if err := o.export.Check(o.schema()); err != nil {
		return err
	}
	if o.template == nil {
		return nil
	}
	for _, ref := range o.template.Refs() {
		if ref.Name != eventArgument || len(ref.Keys) != 1 {
			return botapi.ParamErrorf(paramFile, "a placeholder names one field of the event, such as {event[feed.name]}; {%s} does not", ref.Name)
		}
		if _, err := o.schema().Field(harmonization.Event, ref.Keys[0]); err != nil {
			return botapi.ParamErrorf(paramFile, "{event[%s]}: %w", ref.Keys[0], err)
		}
	}
	return nil
}

func (o *Output) schema() *harmonization.Schema {
	if o.bc.Schema != nil {
		return o.bc.Schema
	}
	return harmonization.Default()
}

// Start opens the file, unless its name depends on the events.
func (o *Output) Start(context.Context) error {
	if o.template != nil {
		return nil
	}
	if _, err := o.open(o.file); err != nil {
		return err
	}
	o.logger().Info(fmt.Sprintf("File %s is open.", pyformat.ReprString(o.file)))
	return nil
}

// Process appends msg to its file.
func (o *Output) Process(_ context.Context, msg *message.Message, _ botapi.Sender) error {
	name := o.file
	if o.template != nil {
		var err error
		if name, err = o.template.Execute(map[string]any{eventArgument: eventMapping{msg}}); err != nil {
			return botapi.Permanent(fmt.Errorf("format_filename: %w", err))
		}
	}
	of, err := o.open(name)
	if err != nil {
		return err
	}
	if o.line, err = o.export.Append(o.line[:0], msg); err != nil {
		return botapi.Permanent(err)
	}
	o.line = append(o.line, '\n')
	if _, err := of.w.Write(o.line); err != nil {
		o.drop(name)
		return fmt.Errorf("writing to %s: %w", name, err)
	}
	return nil
}

// open returns the open file name, opening it (and creating its
// directory) in append mode when needed. A relative name is relative to
// the directory of the configuration file (botapi.Context.Path).
func (o *Output) open(name string) (*openFile, error) {
	if of, ok := o.files[name]; ok {
		return of, nil
	}
	path := o.bc.Path(name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if errors.Is(err, os.ErrNotExist) {
		if mkErr := os.MkdirAll(filepath.Dir(path), 0o755); mkErr != nil {
			return nil, fmt.Errorf("directory %s could not be created: %w", filepath.Dir(path), mkErr)
		}
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	of := &openFile{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	o.files[name] = of
	o.logger().Debug(fmt.Sprintf("Opened file %s.", pyformat.ReprString(path)))
	return of, nil
}

// drop closes a file after a failed write, so the next write reopens it.
func (o *Output) drop(name string) {
	if of, ok := o.files[name]; ok {
		of.f.Close()
		delete(o.files, name)
	}
}

// Flush writes the buffered lines (and with sync, fsyncs). With
// format_filename the files are closed afterwards, so a long run does not
// keep one descriptor per file name; otherwise the file stays open unless
// it was moved or deleted (log rotation), then the next event reopens it.
func (o *Output) Flush(context.Context) error {
	var errs []error
	for name, of := range o.files {
		if err := of.flush(o.sync); err != nil {
			o.drop(name)
			errs = append(errs, fmt.Errorf("writing to %s: %w", name, err))
			continue
		}
		if o.template != nil || rotated(name, of.f) {
			if err := of.f.Close(); err != nil {
				errs = append(errs, err)
			}
			delete(o.files, name)
		}
	}
	return errors.Join(errs...)
}

func (of *openFile) flush(sync bool) error {
	if err := of.w.Flush(); err != nil {
		return err
	}
	if sync {
		return of.f.Sync()
	}
	return nil
}

// rotated reports whether name no longer refers to the open file f.
func rotated(name string, f *os.File) bool {
	onDisk, err := os.Stat(name)
	if err != nil {
		return true
	}
	open, err := f.Stat()
	return err != nil || !os.SameFile(onDisk, open)
}

// Close writes what is buffered and closes the files.
func (o *Output) Close() error {
	var errs []error
	for name, of := range o.files {
		if err := of.flush(o.sync); err != nil {
			errs = append(errs, fmt.Errorf("writing to %s: %w", name, err))
		}
		if err := of.f.Close(); err != nil {
			errs = append(errs, err)
		}
		delete(o.files, name)
	}
	return errors.Join(errs...)
}

func (o *Output) logger() *slog.Logger {
	if o.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.bc.Logger
}

// eventMapping is the event as IntelMQ's file output formats it: time
// fields are datetimes, other values keep their Python type. Text taken
// from the event cannot add directories: "/" becomes "_" and "." or ".."
// becomes "_".
type eventMapping struct{ msg *message.Message }

// Lookup returns the event's value of key, a datetime for the time fields.
func (m eventMapping) Lookup(key string) (any, error) {
	v, ok := m.msg.Get(key)
	if !ok {
		return nil, fmt.Errorf("%w: %q", pyformat.ErrKey, key)
	}
	if key == "time.source" || key == "time.observation" {
		t, err := datetime.Parse(v.Str())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		return t.UTC(), nil
	}
	switch v.Kind() {
	case harmonization.KindInt:
		return v.Int(), nil
	case harmonization.KindFloat:
		return v.Float(), nil
	case harmonization.KindBool:
		return v.Bool(), nil
	}
	return safeName(harmonization.PyStr(v)), nil
}

// safeName keeps event text from naming other directories.
func safeName(s string) string {
	if s == "." || s == ".." {
		return "_"
	}
	return strings.NewReplacer("/", "_", "\x00", "_").Replace(s)
}
