// SPDX-License-Identifier: AGPL-3.0-or-later

package botlog

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LevelCritical is IntelMQ's CRITICAL level, above slog.LevelError.
const LevelCritical = slog.Level(12)

// TracebackKey is the attribute key whose value is printed on the lines
// after the message, as Python prints a traceback. The runner logs the
// error chain of a failed message under this key.
const TracebackKey = "traceback"

// TimeLayout is the layout of IntelMQ's asctime, with a comma before the
// milliseconds.
const TimeLayout = "2006-01-02 15:04:05,000"

// LevelName returns IntelMQ's name of a level: DEBUG, INFO, WARNING, ERROR
// or CRITICAL.
func LevelName(l slog.Level) string {
	switch {
	case l >= LevelCritical:
		return "CRITICAL"
	case l >= slog.LevelError:
		return "ERROR"
	case l >= slog.LevelWarn:
		return "WARNING"
	case l >= slog.LevelInfo:
		return "INFO"
	default:
		return "DEBUG"
	}
}

// ParseLevel parses an IntelMQ level name (case-insensitive; WARN is
// accepted for WARNING).
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToUpper(s) {
	case "DEBUG":
		return slog.LevelDebug, nil
	case "INFO":
		return slog.LevelInfo, nil
	case "WARNING", "WARN":
		return slog.LevelWarn, nil
	case "ERROR":
		return slog.LevelError, nil
	case "CRITICAL":
		return LevelCritical, nil
	}
	return 0, fmt.Errorf("unknown logging level %q: use DEBUG, INFO, WARNING, ERROR or CRITICAL", s)
}

// Clock is the part of botapi.Clock the handler needs.
type Clock interface {
	Now() time.Time
}

// Options configure a Handler.
type Options struct {
	// Level is the minimum level written; the zero value is INFO.
	Level slog.Leveler
	// Clock gives the timestamp of each line (a botapi.Clock fits); nil
	// uses the record's time.
	Clock Clock
}

// Handler is a slog.Handler writing IntelMQ's log format for one bot. It
// is safe for concurrent use; handlers derived with WithAttrs and
// WithGroup share the writer and its lock.
type Handler struct {
	out    *lockedWriter
	id     string
	opts   Options
	prefix string // pre-formatted attributes from WithAttrs
	group  string
}

type lockedWriter struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// NewHandler returns a handler writing the lines of bot id to w. Several
// handlers may share one w only through a writer that serialises writes
// (see SyncWriter).
func NewHandler(w io.Writer, id string, opts Options) *Handler {
	return &Handler{out: &lockedWriter{w: w}, id: id, opts: opts}
}

var _ slog.Handler = (*Handler)(nil)

// Enabled reports whether level is at or above the handler's level.
func (h *Handler) Enabled(_ context.Context, level slog.Level) bool {
	min := slog.LevelInfo
	if h.opts.Level != nil {
		min = h.opts.Level.Level()
	}
	return level >= min
}

// Handle writes one record as one line (plus its traceback lines).
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	t := r.Time
	if h.opts.Clock != nil {
		t = h.opts.Clock.Now()
	}
	var tb string
	attrs := h.prefix
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == TracebackKey {
			tb = a.Value.String()
			return true
		}
		attrs = appendAttr(attrs, h.group, a)
		return true
	})
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	b := h.out.buf[:0]
	b = t.AppendFormat(b, TimeLayout)
	b = append(b, " - "...)
	b = append(b, h.id...)
	b = append(b, " - "...)
	b = append(b, LevelName(r.Level)...)
	b = append(b, " - "...)
	b = append(b, r.Message...)
	b = append(b, attrs...)
	b = append(b, '\n')
	if tb != "" {
		b = append(b, strings.TrimRight(tb, "\n")...)
		b = append(b, '\n')
	}
	h.out.buf = b
	_, err := h.out.w.Write(b)
	return err
}

// WithAttrs returns a handler that appends attrs to every line as
// " key=value".
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	for _, a := range attrs {
		c.prefix = appendAttr(c.prefix, h.group, a)
	}
	return &c
}

// WithGroup returns a handler that prefixes attribute keys with name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.group = c.group + name + "."
	return &c
}

func appendAttr(s, group string, a slog.Attr) string {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return s
	}
	if a.Value.Kind() == slog.KindGroup {
		for _, g := range a.Value.Group() {
			s = appendAttr(s, group+a.Key+".", g)
		}
		return s
	}
	v := a.Value.String()
	if strings.ContainsAny(v, " \"=\n") {
		v = strconv.Quote(v)
	}
	return s + " " + group + a.Key + "=" + v
}

// SyncWriter returns a writer that serialises the writes of several
// handlers (the bots of one process logging to one terminal).
func SyncWriter(w io.Writer) io.Writer { return &syncWriter{w: w} }

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// New returns a logger for bot id writing to w at level with clock's time.
func New(w io.Writer, id string, level slog.Level, clock Clock) *slog.Logger {
	return slog.New(NewHandler(w, id, Options{Level: level, Clock: clock}))
}

// FormatTime formats t as IntelMQ's asctime.
func FormatTime(t time.Time) string { return t.Format(TimeLayout) }
