// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/chunk"
	"github.com/intelmq-go/intelmq/bots/internal/pyformat"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "collector.file"

// Parameter names.
const (
	paramPath            = "path"
	paramPostfix         = "postfix"
	paramDeleteFile      = "delete_file"
	paramMoveTo          = "move_to"
	paramChunkSize       = "chunk_size"
	paramReplicateHeader = "chunk_replicate_header"
	paramInterval        = "interval"
)

const (
	keyFeedURL  = "feed.url"
	keyFileName = "extra.file_name"
)

// Spec returns the declaration of the file collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindCollector,
		Doc: "Reads files from the local file system, as IntelMQ's file collector does: one Report per file (or per " +
			"chunk of a large file) with extra.file_name and feed.url file://localhost/<path>, then deletes or moves the file.",
		Params: append([]botapi.Param{
			{Name: paramPath, Type: botapi.TypeString, Required: true,
				Doc: "A directory, whose files ending with postfix are read, a glob pattern such as \"/var/spool/feeds/*.csv\", or one file."},
			{Name: paramPostfix, Type: botapi.TypeString, Default: ".csv",
				Doc: "When path is a directory: the ending of the file names to read; empty reads every file."},
			{Name: paramDeleteFile, Type: botapi.TypeBool, Default: false,
				Doc: "Delete each file after its reports were sent. Without delete_file or move_to a file is read again at every interval."},
			{Name: paramMoveTo, Type: botapi.TypeString, Default: "",
				Doc: "Move each file into this directory after its reports were sent."},
			{Name: paramChunkSize, Type: botapi.TypeInt, Default: int64(0),
				Doc: "Split files into reports of at most this many bytes, at line ends; 0 sends each file whole."},
			{Name: paramReplicateHeader, Type: botapi.TypeBool, Default: true,
				Doc: "With chunk_size: start every chunk with the first line of the file (a CSV header)."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: 5 * time.Minute,
				Doc: "The time between two looks at path (IntelMQ's rate_limit, 300 seconds for this collector)."},
		}, chunk.Params("file")...),
	}
}

// Register adds the file collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the file collector.
type Collector struct {
	bc              *botapi.Context
	path            string
	postfix         string
	deleteFile      bool
	moveTo          string
	chunkSize       int
	replicateHeader bool
	auto            chunk.Auto
	single          bool // path named one regular file when the bot started
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
)

// New builds the file collector from its parameters. Relative paths are
// relative to the directory of the configuration file (botapi.Context.Path).
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	return &Collector{
		bc:              bc,
		path:            bc.Path(p.String(paramPath)),
		postfix:         p.String(paramPostfix),
		deleteFile:      p.Bool(paramDeleteFile),
		moveTo:          bc.Path(p.String(paramMoveTo)),
		chunkSize:       int(p.Int(paramChunkSize)),
		replicateHeader: p.Bool(paramReplicateHeader),
		auto:            chunk.AutoFrom(bc, p),
	}, nil
}

// isPattern reports whether path is a glob pattern rather than a directory.
func (c *Collector) isPattern() bool {
	return strings.ContainsAny(c.path, "*?[")
}

// Validate checks the parameters together.
func (c *Collector) Validate() error {
	switch {
	case c.path == "":
		return botapi.ParamErrorf(paramPath, "is empty")
	case c.chunkSize < 0:
		return botapi.ParamErrorf(paramChunkSize, "must not be negative, got %d", c.chunkSize)
	case c.auto.Validate() != nil:
		return c.auto.Validate()
	case c.deleteFile && c.moveTo != "":
		return errors.New("delete_file and move_to exclude each other")
	case c.isPattern():
		if _, err := filepath.Match(c.path, ""); err != nil {
			return botapi.ParamErrorf(paramPath, "%q is not a valid glob pattern: %w", c.path, err)
		}
	case c.postfix == "" && c.deleteFile:
		return fmt.Errorf("this configuration would delete every file in %s: set postfix or use a glob pattern", c.path)
	}
	return nil
}

// Start checks that the directory exists and creates move_to.
func (c *Collector) Start(context.Context) error {
	if !c.isPattern() {
		info, err := os.Stat(c.path)
		if err != nil {
			return fmt.Errorf("path: %w", err)
		}
		if info.Mode().IsRegular() {
			c.single = true
		} else if !info.IsDir() {
			return botapi.Fatal(fmt.Errorf("path %s is neither a directory nor a regular file", c.path))
		}
		if !c.single && c.postfix == "" {
			c.logger().Warn(fmt.Sprintf("No file extension was set. The collector will read all files in %s.", c.path))
		}
	}
	if c.moveTo != "" {
		if err := os.MkdirAll(c.moveTo, 0o755); err != nil {
			return botapi.Fatal(fmt.Errorf("move_to: %w", err))
		}
	}
	return nil
}

// Collect reads every matching file once.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	c.logger().Debug("Started looking for files.")
	files, err := c.files()
	if err != nil {
		return err
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.collectFile(ctx, out, name); err != nil {
			return err
		}
	}
	return nil
}

// files lists the regular files to read, sorted by name.
func (c *Collector) files() ([]string, error) {
	var candidates []string
	if c.isPattern() {
		matches, err := filepath.Glob(c.path)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", c.path, err)
		}
		candidates = matches
	} else if c.single {
		// One file: read it while it is there (delete_file or move_to may
		// have taken it away after an earlier collection).
		if _, err := os.Stat(c.path); err == nil {
			candidates = []string{c.path}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("path: %w", err)
		}
	} else {
		entries, err := os.ReadDir(c.path)
		if err != nil {
			return nil, fmt.Errorf("reading the directory %s: %w", c.path, err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), c.postfix) {
				candidates = append(candidates, filepath.Join(c.path, e.Name()))
			}
		}
	}
	var files []string
	for _, name := range candidates {
		if info, err := os.Stat(name); err == nil && info.Mode().IsRegular() {
			abs, err := filepath.Abs(name)
			if err != nil {
				return nil, err
			}
			files = append(files, abs)
		}
	}
	sort.Strings(files)
	return files, nil
}

// collectFile sends the reports of one file, then deletes or moves it.
func (c *Collector) collectFile(ctx context.Context, out botapi.Emitter, name string) error {
	c.logger().Info(fmt.Sprintf("Processing file %s.", pyformat.ReprString(name)))
	f, err := os.Open(name)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // gone meanwhile, e.g. taken by another collector
		}
		return err
	}
	defer f.Close()
	busy, err := tryLock(f)
	if err != nil {
		return fmt.Errorf("locking %s: %w", name, err)
	}
	if busy {
		c.logger().Info(fmt.Sprintf("File %s is locked by another process, skipping.", pyformat.ReprString(name)))
		return nil
	}
	defer unlock(f)
	if err := c.emitChunks(ctx, out, f, name); err != nil {
		return err
	}
	return c.dispose(name)
}

// emitChunks sends the reports of one file: the whole file, the chunks
// of chunk_size, or the pieces of an automatic split.
func (c *Collector) emitChunks(ctx context.Context, out botapi.Emitter, f *os.File, name string) error {
	emit := func(raw []byte) error {
		rep, err := report.New(c.bc)
		if err != nil {
			return err
		}
		if err := message.SetRawText(rep, raw); err != nil {
			return err
		}
		if err := rep.Set(keyFeedURL, harmonization.String("file://localhost"+filepath.ToSlash(name))); err != nil {
			return botapi.Permanent(fmt.Errorf("feed.url: %w", err))
		}
		if err := rep.AddString(keyFileName, filepath.Base(name)); err != nil {
			return botapi.Permanent(fmt.Errorf("extra.file_name: %w", err))
		}
		return out.Emit(ctx, rep)
	}
	if c.chunkSize > 0 {
		return generateChunks(f, c.chunkSize, c.replicateHeader, emit)
	}
	info, err := f.Stat()
	if err != nil {
		return err
	}
	header, split, r, err := c.auto.Prepare(f, info.Size())
	if err != nil {
		return err
	}
	if split {
		c.logger().Info(fmt.Sprintf("Splitting file %s of %d bytes into reports of %d bytes, each starting with its %d header lines.",
			pyformat.ReprString(name), info.Size(), c.auto.Size, bytes.Count(header, []byte{'\n'})))
		return chunk.Split(r, header, c.auto.Size, emit)
	}
	if c.auto.Above > 0 && info.Size() > c.auto.Above {
		c.logger().Info(fmt.Sprintf("File %s of %d bytes is not line-oriented text or its header is too long: sending it whole.",
			pyformat.ReprString(name), info.Size()))
	}
	// The whole file in one report, read into a buffer of its size.
	var buf bytes.Buffer
	buf.Grow(int(min(info.Size(), 1<<30)) + bytes.MinRead)
	if _, err := buf.ReadFrom(r); err != nil {
		return err
	}
	if buf.Len() == 0 {
		return nil
	}
	return emit(buf.Bytes())
}

// dispose deletes or moves a file whose reports were sent. A file that
// cannot be removed stops the bot, as in IntelMQ, so it is not read again
// and again.
func (c *Collector) dispose(name string) error {
	switch {
	case c.deleteFile:
		if err := os.Remove(name); err != nil {
			return botapi.Fatal(fmt.Errorf("could not delete %s, stopping to prevent reading it again: %w", name, err))
		}
		c.logger().Debug(fmt.Sprintf("Deleted file: %s.", pyformat.ReprString(name)))
	case c.moveTo != "":
		dest := filepath.Join(c.moveTo, filepath.Base(name))
		if err := move(name, dest); err != nil {
			return botapi.Fatal(fmt.Errorf("could not move %s to %s, stopping to prevent reading it again: %w", name, c.moveTo, err))
		}
		c.logger().Debug(fmt.Sprintf("Moved file %s to %s.", pyformat.ReprString(name), pyformat.ReprString(dest)))
	}
	return nil
}

// move renames src to dst, copying across file systems.
func move(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".part"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return os.Remove(src)
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}
