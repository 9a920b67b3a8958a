// SPDX-License-Identifier: AGPL-3.0-or-later

package rsync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/pyformat"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "collector.rsync"

// IntelMQModule is the IntelMQ module the collector replaces.
const IntelMQModule = "intelmq.bots.collectors.rsync.collector_rsync"

// Parameter names, IntelMQ's where it has one.
const (
	paramFile           = "file"
	paramRsyncPath      = "rsync_path"
	paramFormatting     = "rsync_file_path_formatting"
	paramTimeOffset     = "rsync_time_offset"
	paramExtraParams    = "extra_params"
	paramPrivateKey     = "private_key"
	paramPrivateKeyPath = "private_key_path"
	paramStrictHostKey  = "strict_host_key_checking"
	paramTempDirectory  = "temp_directory"
	paramRsyncBinary    = "rsync_binary"
	paramInterval       = "interval"
	paramTimeout        = "timeout"
	paramMaxSize        = "max_size"
)

// Defaults.
const (
	defaultInterval = 1000 * time.Second // IntelMQ's rate_limit of this collector
	defaultTimeout  = 10 * time.Minute
	defaultBinary   = "rsync"
	// stateSubdir is temp_directory's default inside the state directory
	// (IntelMQ's var/lib/bots/rsync_collector).
	stateSubdir = "rsync"
	// keyFileName is the file private_key is written to.
	keyFileName = "rsync-private.key"
	// maxStderr bounds the error output kept for the error message.
	maxStderr    = 4096
	timeArgument = "time"
)

// Spec returns the declaration of the rsync collector.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindCollector,
		IntelMQModule: IntelMQModule,
		Doc: "Mirrors one file with the system's rsync program into a local directory, as IntelMQ's rsync collector " +
			"does, and sends the whole file as a Report after each successful transfer. A failed rsync fails the " +
			"collection with its exit code and error output.",
		Params: []botapi.Param{
			{Name: paramFile, Type: botapi.TypeString, Required: true,
				Doc: "The name of the file to fetch, relative to rsync_path, e.g. \"wild.surbl.org.rbldnsd\" (IntelMQ's file)."},
			{Name: paramRsyncPath, Type: botapi.TypeString, Required: true,
				Doc: "Where the file is, as rsync writes a source: a local folder, \"host::module/dir/\", \"rsync://host:port/module/\" or \"user@host:dir/\" over ssh (IntelMQ's rsync_path). A relative local folder is relative to the configuration file."},
			{Name: paramFormatting, Type: botapi.TypeBool, Default: false,
				Doc: "Replace {time[<strftime format>]} in file and rsync_path with the current time plus rsync_time_offset, e.g. \"report-{time[%Y-%m-%d]}.txt\" (IntelMQ's rsync_file_path_formatting)."},
			{Name: paramTimeOffset, Type: botapi.TypeDuration, Default: time.Duration(0), Negative: true,
				Doc: "Added to the current time before rsync_file_path_formatting, e.g. \"-24h\" for yesterday's file (the time delta IntelMQ gives rsync_file_path_formatting)."},
			{Name: paramExtraParams, Type: botapi.TypeStringList, Default: []string{},
				Doc: "Further arguments given to rsync before the source, one per element, e.g. [\"--port\", \"8873\"] (IntelMQ's extra_params, there a shell-quoted string)."},
			{Name: paramPrivateKey, Type: botapi.TypeString, Default: "",
				Doc: "The text of an OpenSSH private key for rsync over ssh; it is written to the bot's state directory, readable by its owner only (IntelMQ's private_key). Give at most one of private_key and private_key_path."},
			{Name: paramPrivateKeyPath, Type: botapi.TypeString, Default: "",
				Doc: "The file of the private key for rsync over ssh (IntelMQ's private_key_path)."},
			{Name: paramStrictHostKey, Type: botapi.TypeBool, Default: false,
				Doc: "With a private key: let ssh check the server's host key (StrictHostKeyChecking=yes) instead of accepting any (IntelMQ's strict_host_key_checking)."},
			{Name: paramTempDirectory, Type: botapi.TypeString, Default: "",
				Doc: "The folder the file is mirrored into and kept in between collections, so rsync transfers only changes; it is created when missing. Empty: the folder \"rsync\" in the bot's state directory (IntelMQ's temp_directory)."},
			{Name: paramRsyncBinary, Type: botapi.TypeString, Default: defaultBinary,
				Doc: "The rsync program, a name looked up in PATH or a path."},
			{Name: paramInterval, Type: botapi.TypeDuration, Default: defaultInterval,
				Doc: "The time between two collections (IntelMQ's rate_limit, 1000 seconds for this collector)."},
			{Name: paramTimeout, Type: botapi.TypeDuration, Default: defaultTimeout,
				Doc: "How long one rsync run may take before it is stopped and the collection fails."},
			{Name: paramMaxSize, Type: botapi.TypeInt, Default: int64(0),
				Doc: "The largest file sent, in bytes (rsync's --max-size is not used: a larger file fails the collection); 0 means no limit."},
		},
	}
}

// Register adds the rsync collector to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Collector is the rsync collector.
type Collector struct {
	bc *botapi.Context

	file, rsyncPath     string
	formatting          bool
	timeOffset          time.Duration
	extra               []string
	privateKey, keyPath string
	strictHostKey       bool
	tempDir, binary     string
	timeout             time.Duration
	maxSize             int64

	fileTmpl, pathTmpl *pyformat.Template
	program            string // the resolved binary
	ownTemp            string // a temporary temp_directory made by Start, removed by Close
	args               []string
}

var (
	_ botapi.Collector = (*Collector)(nil)
	_ botapi.Validator = (*Collector)(nil)
	_ botapi.Starter   = (*Collector)(nil)
	_ botapi.Closer    = (*Collector)(nil)
)

// New builds the collector from its parameters.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	c := &Collector{
		bc:   bc,
		file: p.String(paramFile), rsyncPath: p.String(paramRsyncPath),
		formatting: p.Bool(paramFormatting), timeOffset: p.Duration(paramTimeOffset),
		extra:      p.List(paramExtraParams),
		privateKey: p.String(paramPrivateKey), keyPath: bc.Path(p.String(paramPrivateKeyPath)),
		strictHostKey: p.Bool(paramStrictHostKey),
		tempDir:       bc.Path(p.String(paramTempDirectory)),
		binary:        p.String(paramRsyncBinary),
		timeout:       p.Duration(paramTimeout),
		maxSize:       p.Int(paramMaxSize),
	}
	if isLocal(c.rsyncPath) {
		c.rsyncPath = bc.Path(c.rsyncPath)
	}
	return c, nil
}

// isLocal reports whether an rsync source is a local path: no "host:"
// part and no rsync:// URL.
func isLocal(src string) bool {
	if strings.HasPrefix(src, "rsync://") {
		return false
	}
	colon := strings.IndexByte(src, ':')
	return colon < 0 || strings.Contains(src[:colon], "/")
}

// Validate checks the templates and the parameters together.
func (c *Collector) Validate() error {
	switch {
	case strings.TrimSpace(c.file) == "":
		return botapi.ParamErrorf(paramFile, "must not be empty")
	case strings.TrimSpace(c.rsyncPath) == "":
		return botapi.ParamErrorf(paramRsyncPath, "must not be empty")
	case c.privateKey != "" && c.keyPath != "":
		return errors.New("give only one of private_key and private_key_path")
	case c.binary == "":
		return botapi.ParamErrorf(paramRsyncBinary, "must not be empty")
	case c.timeout <= 0:
		return botapi.ParamErrorf(paramTimeout, "must be positive, got %s", c.timeout)
	case c.maxSize < 0:
		return botapi.ParamErrorf(paramMaxSize, "must not be negative, got %d", c.maxSize)
	}
	if c.formatting {
		var err error
		if c.fileTmpl, err = parseTemplate(paramFile, c.file); err != nil {
			return err
		}
		if c.pathTmpl, err = parseTemplate(paramRsyncPath, c.rsyncPath); err != nil {
			return err
		}
	}
	return nil
}

// parseTemplate parses a {time[...]} template.
func parseTemplate(param, s string) (*pyformat.Template, error) {
	t, err := pyformat.Parse(s)
	if err != nil {
		return nil, &botapi.ParamError{Name: param, Err: err}
	}
	for _, ref := range t.Refs() {
		if ref.Name != timeArgument || len(ref.Keys) != 1 {
			return nil, botapi.ParamErrorf(param, "the only placeholder is {time[<strftime format>]}, not {%s}", ref.Name)
		}
	}
	return t, nil
}

// Start finds the rsync program, creates temp_directory and writes
// private_key. A missing program or an unusable folder stops the bot.
func (c *Collector) Start(context.Context) error {
	prog, err := exec.LookPath(c.binary)
	if err != nil {
		return botapi.Fatal(fmt.Errorf("rsync_binary: %w", err))
	}
	c.program = prog
	if c.tempDir == "" {
		if c.bc.StateDir != "" {
			c.tempDir = filepath.Join(c.bc.StateDir, stateSubdir)
		} else {
			dir, err := os.MkdirTemp("", "intelmq-rsync-")
			if err != nil {
				return botapi.Fatal(err)
			}
			c.tempDir, c.ownTemp = dir, dir
			c.logger().Warn("The bot has no state directory: the file is mirrored into a temporary folder, and transferred whole after each start.")
		}
	}
	if err := os.MkdirAll(c.tempDir, 0o750); err != nil {
		return botapi.Fatal(fmt.Errorf("temp_directory: %w", err))
	}
	keyPath := c.keyPath
	if c.privateKey != "" {
		dir := c.bc.StateDir
		if dir == "" {
			dir = c.tempDir
		}
		keyPath = filepath.Join(dir, keyFileName)
		if err := os.WriteFile(keyPath, []byte(normalizeKey(c.privateKey)), 0o600); err != nil {
			return botapi.Fatal(fmt.Errorf("writing private_key: %w", err))
		}
		if err := os.Chmod(keyPath, 0o600); err != nil { // an existing file keeps its mode on WriteFile
			return botapi.Fatal(fmt.Errorf("writing private_key: %w", err))
		}
	}
	c.args = append([]string(nil), c.extra...)
	if keyPath != "" {
		strict := "no"
		if c.strictHostKey {
			strict = "yes"
		}
		c.args = append(c.args, "-e", fmt.Sprintf("ssh -i %s -o StrictHostKeyChecking=%s", shellQuote(keyPath), strict))
	}
	return nil
}

// Close removes a temporary folder Start made.
func (c *Collector) Close() error {
	if c.ownTemp != "" {
		return os.RemoveAll(c.ownTemp)
	}
	return nil
}

// normalizeKey rebuilds an OpenSSH private key from its text with or
// without the BEGIN and END lines and line breaks, as IntelMQ does: the
// base64 body wrapped at 70 characters between the OpenSSH markers.
func normalizeKey(key string) string {
	body := key
	if parts := strings.Split(key, "-----"); len(parts) > 2 {
		body = parts[2]
	}
	body = strings.Join(strings.Fields(body), "")
	var b strings.Builder
	b.WriteString("-----BEGIN OPENSSH PRIVATE KEY-----\n")
	for i := 0; i < len(body); i += 70 {
		b.WriteString(body[i:min(i+70, len(body))])
		b.WriteByte('\n')
	}
	b.WriteString("-----END OPENSSH PRIVATE KEY-----\n")
	return b.String()
}

// shellQuote quotes a path for the command line rsync's -e gives ssh.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (c *Collector) logger() *slog.Logger {
	if c.bc.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.bc.Logger
}

// strftimeMapping is IntelMQ's Time object: time[fmt] is strftime(fmt).
type strftimeMapping struct{ t time.Time }

// Lookup returns the time formatted with the strftime layout.
func (m strftimeMapping) Lookup(layout string) (any, error) {
	return pyformat.Strftime(m.t, layout), nil
}

// paths returns the file and rsync_path of this collection, formatted.
func (c *Collector) paths() (file, rsyncPath string, err error) {
	file, rsyncPath = c.file, c.rsyncPath
	if !c.formatting {
		return file, rsyncPath, nil
	}
	args := map[string]any{timeArgument: strftimeMapping{c.bc.Clock.Now().Add(c.timeOffset)}}
	if file, err = c.fileTmpl.Execute(args); err != nil {
		return "", "", fmt.Errorf("file: %w", err)
	}
	if rsyncPath, err = c.pathTmpl.Execute(args); err != nil {
		return "", "", fmt.Errorf("rsync_path: %w", err)
	}
	return file, rsyncPath, nil
}

// joinSource joins rsync_path and file as IntelMQ's os.path.join does.
func joinSource(rsyncPath, file string) string {
	switch {
	case rsyncPath == "" || strings.HasPrefix(file, "/"):
		return file
	case strings.HasSuffix(rsyncPath, "/"):
		return rsyncPath + file
	}
	return rsyncPath + "/" + file
}

// Collect runs rsync once and sends the file.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.program == "" {
		return errors.New("the collector was not started")
	}
	log := c.logger()
	file, rsyncPath, err := c.paths()
	if err != nil {
		return botapi.Fatal(err)
	}
	src := joinSource(rsyncPath, file)
	log.Info(fmt.Sprintf("Updating file %s.", file))
	args := append(append([]string(nil), c.args...), "--", src, c.tempDir+string(filepath.Separator))
	log.Debug(fmt.Sprintf("Executing command: %s.", pyformat.Repr(append([]any{c.program}, toAny(args)...))))
	runCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, c.program, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	stderr := &limitedBuffer{max: maxStderr}
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		code := -1
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if runCtx.Err() != nil {
			return fmt.Errorf("rsync on file %s did not finish within the timeout %s: %s", pyformat.ReprString(file), c.timeout,
				pyformat.ReprString(stderr.String()))
		}
		return fmt.Errorf("rsync on file %s failed with exitcode %d and stderr %s", pyformat.ReprString(file), code,
			pyformat.ReprString(stderr.String()))
	}
	local := filepath.Join(c.tempDir, path.Base(file))
	data, err := readLimited(local, c.maxSize)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		log.Info(fmt.Sprintf("The file %s is empty, nothing to send.", file))
		return nil
	}
	r, err := report.New(c.bc)
	if err != nil {
		return err
	}
	if err := message.SetRawText(r, data); err != nil {
		return err
	}
	return out.Emit(ctx, r)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// readLimited reads the mirrored file; a file larger than maxSize (when
// not 0) is an error.
func readLimited(name string, maxSize int64) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("rsync succeeded but the file is not in temp_directory: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	if maxSize > 0 && fi.Size() > maxSize {
		return nil, fmt.Errorf("the file %s has %d bytes, more than max_size %d", name, fi.Size(), maxSize)
	}
	return os.ReadFile(name)
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return strings.TrimSpace(b.buf.String()) }
