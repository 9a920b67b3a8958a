// SPDX-License-Identifier: AGPL-3.0-or-later

package pyformat

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The expected strings below were produced by CPython 3.11 on Linux.

func TestStrftime(t *testing.T) {
	t1 := time.Date(2024, 3, 5, 7, 8, 9, 123456789, time.UTC)
	t2 := time.Date(2021, 1, 3, 23, 0, 0, 0, time.UTC)
	tests := []struct{ layout, want1, want2 string }{
		{"%Y-%m-%d", "2024-03-05", "2021-01-03"},
		{"%a %A %b %B %c", "Tue Tuesday Mar March Tue Mar  5 07:08:09 2024", "Sun Sunday Jan January Sun Jan  3 23:00:00 2021"},
		{"%x %X %D %T %F %R %r", "03/05/24 07:08:09 03/05/24 07:08:09 2024-03-05 07:08 07:08:09 AM", "01/03/21 23:00:00 01/03/21 23:00:00 2021-01-03 23:00 11:00:00 PM"},
		{"%j %U %W %w %u %V %G %g", "065 09 10 2 2 10 2024 24", "003 01 00 0 7 53 2020 20"},
		{"%-d %-m %_d %e %k %l %I %p %P", "5 3  5  5  7  7 07 AM am", "3 1  3  3 23 11 11 PM pm"},
		{"%f %z %Z %%", "123456   %", "000000   %"},
		{"%C %y %h %^a %Q %", "20 24 Mar TUE %Q %", "20 21 Jan SUN %Q %"},
		{"%s", "1709622489", "1609714800"},
	}
	for _, tt := range tests {
		if got := Strftime(t1, tt.layout); got != tt.want1 {
			t.Errorf("Strftime(t1, %q) = %q, want %q", tt.layout, got, tt.want1)
		}
		if got := Strftime(t2, tt.layout); got != tt.want2 {
			t.Errorf("Strftime(t2, %q) = %q, want %q", tt.layout, got, tt.want2)
		}
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    any
		spec string
		want string
	}{
		{"ab", ">5", "   ab"},
		{"ab", "*^7", "**ab***"},
		{"abcdef", ".3", "abc"},
		{"ab", "05", "ab000"},
		{int64(42), "05d", "00042"},
		{42, "+x", "+2a"},
		{42, "#x", "0x2a"},
		{int64(1234567), ",", "1,234,567"},
		{int64(1234567), "_x", "12_d687"},
		{3.14159, ".2f", "3.14"},
		{3.0, "", "3.0"},
		{1e16, "", "1e+16"},
		{1.5e-7, "", "1.5e-07"},
		{2.0, ".3", "2.0"},
		{1234.5, ".3", "1.23e+03"},
		{0.25, "%", "25.000000%"},
		{0.25, ".1%", "25.0%"},
		{1234.5678, ",.2f", "1,234.57"},
		{12.0, "g", "12"},
		{1e-5, "e", "1.000000e-05"},
		{true, "", "True"},
		{true, ">5", "    1"},
		{-3.5, "=+8.2f", "-   3.50"},
		{int64(255), "X", "FF"},
		{int64(255), "#X", "0XFF"},
		{int64(65), "c", "A"},
		{int64(7), "b", "111"},
		{1234.5, "e", "1.234500e+03"},
		{123456789.0, "g", "1.23457e+08"},
		{nil, "", "None"},
		{time.Date(2024, 3, 5, 7, 8, 9, 123456000, time.UTC), "", "2024-03-05 07:08:09.123456"},
		{time.Date(2021, 1, 3, 23, 0, 0, 0, time.UTC), "", "2021-01-03 23:00:00"},
		{time.Date(2021, 1, 3, 23, 0, 0, 0, time.UTC), "%Y/%m", "2021/01"},
	}
	for _, tt := range tests {
		got, err := FormatValue(tt.v, tt.spec)
		if err != nil {
			t.Errorf("FormatValue(%#v, %q): %v", tt.v, tt.spec, err)
			continue
		}
		if got != tt.want {
			t.Errorf("FormatValue(%#v, %q) = %q, want %q", tt.v, tt.spec, got, tt.want)
		}
	}
}

func TestFormatValueErrors(t *testing.T) {
	tests := []struct {
		v    any
		spec string
	}{
		{"ab", "d"},
		{"ab", "+5"},
		{"ab", "=5"},
		{int64(1), ".2"},
		{int64(1), "q"},
		{nil, ">5"},
		{"ab", ">5.q2"},
		{"ab", ">99999999999999999999"},
		{1.5, ".5000f"},
	}
	for _, tt := range tests {
		if got, err := FormatValue(tt.v, tt.spec); err == nil {
			t.Errorf("FormatValue(%#v, %q) = %q, want an error", tt.v, tt.spec, got)
		}
	}
}

func TestRepr(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{"it's", `"it's"`},
		{`a"b'c`, `'a"b\'c'`},
		{"tab\there\x00\x7f\u200b\U0001F600é\\", `'tab\there\x00\x7f\u200b😀é\\'`},
		{map[string]any{"a": []any{int64(1), 2.0, nil, true}}, `{'a': [1, 2.0, None, True]}`},
		{json.RawMessage(`{"b": 1.0, "a": [1, "x"]}`), `{'b': 1.0, 'a': [1, 'x']}`},
		{int64(80), "80"},
		{100.0, "100.0"},
		{false, "False"},
	}
	for _, tt := range tests {
		if got := Repr(tt.v); got != tt.want {
			t.Errorf("Repr(%#v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

type mapping map[string]any

func (m mapping) Lookup(key string) (any, error) {
	v, ok := m[key]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrKey, key)
	}
	return v, nil
}

func TestTemplate(t *testing.T) {
	event := mapping{
		"feed.name":   "Feed",
		"source.port": int64(80),
		"time.source": time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC),
		"a:b":         "colon",
	}
	tests := []struct {
		tmpl string
		want string
		refs []Ref
	}{
		{"/tmp/events.txt", "/tmp/events.txt", nil},
		{"/tmp/{event[feed.name]}/{event[time.source]:%Y-%m-%d}.json", "/tmp/Feed/2024-03-05.json",
			[]Ref{{"event", []string{"feed.name"}}, {"event", []string{"time.source"}}}},
		{"{{literal}} {event[source.port]:05d} {event[feed.name]!r}", "{literal} 00080 'Feed'",
			[]Ref{{"event", []string{"source.port"}}, {"event", []string{"feed.name"}}}},
		{"{event[time.source]}", "2024-03-05 07:08:09", []Ref{{"event", []string{"time.source"}}}},
		{"{event[a:b]}", "colon", []Ref{{"event", []string{"a:b"}}}},
		{"{time[%H:%M]}", "07:08", []Ref{{"time", []string{"%H:%M"}}}},
	}
	args := map[string]any{"event": event, "time": timeMapping{}}
	for _, tt := range tests {
		tmpl, err := Parse(tt.tmpl)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.tmpl, err)
			continue
		}
		if diff := cmp.Diff(tt.refs, tmpl.Refs()); diff != "" {
			t.Errorf("Parse(%q).Refs() (-want +got):\n%s", tt.tmpl, diff)
		}
		got, err := tmpl.Execute(args)
		if err != nil {
			t.Errorf("Execute(%q): %v", tt.tmpl, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Execute(%q) = %q, want %q", tt.tmpl, got, tt.want)
		}
	}
}

type timeMapping struct{}

func (timeMapping) Lookup(layout string) (any, error) {
	return Strftime(time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC), layout), nil
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"a}b", "{event[x]", "{event[x}", "{}", "{0}", "{event.x}", "{event[x]!q}",
		"{event[x]:{w}}", "{event[]}", "{event[x]y}"} {
		if _, err := Parse(s); !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q) error = %v, want ErrSyntax", s, err)
		}
	}
}

func TestExecuteMissingKey(t *testing.T) {
	tmpl, err := Parse("{event[source.ip]}")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmpl.Execute(map[string]any{"event": mapping{}}); !errors.Is(err, ErrKey) {
		t.Errorf("missing key: error = %v, want ErrKey", err)
	}
	if _, err := tmpl.Execute(map[string]any{}); !errors.Is(err, ErrKey) {
		t.Errorf("missing name: error = %v, want ErrKey", err)
	}
}
