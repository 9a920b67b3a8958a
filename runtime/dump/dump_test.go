// SPDX-License-Identifier: AGPL-3.0-or-later

package dump

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

var t0 = time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)

func TestAppendReadDelete(t *testing.T) {
	d := Dir(t.TempDir())
	for i, msg := range [][]byte{[]byte(`{"a": 1}`), {0xff, 0x00}, []byte(`{"c": 3}`)} {
		e := NewEntry(t0.Add(time.Duration(i)*time.Second), "bot-1", "bot-1-queue", msg, fmt.Errorf("step %d: %w", i, errors.New("boom")))
		if err := d.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	entries, corrupt, err := d.Read("bot-1")
	if err != nil || corrupt != 0 || len(entries) != 3 {
		t.Fatalf("Read: %d entries, %d corrupt, %v", len(entries), corrupt, err)
	}
	want := Entry{Timestamp: "2024-05-06T07:08:10.123456", BotID: "bot-1", SourceQueue: "bot-1-queue",
		Traceback: []string{"step 1: boom"}, Message: "/wA=", MessageType: MessageTypeBase64}
	if diff := cmp.Diff(want, entries[1]); diff != "" {
		t.Errorf("entry 1 (-want +got):\n%s", diff)
	}
	if b, _ := entries[1].Bytes(); !cmp.Equal(b, []byte{0xff, 0x00}) {
		t.Errorf("Bytes %v", b)
	}
	n, err := d.Delete("bot-1", 0, 2)
	if err != nil || n != 2 {
		t.Fatalf("Delete: %d, %v", n, err)
	}
	entries, _, _ = d.Read("bot-1")
	if len(entries) != 1 || entries[0].Timestamp != want.Timestamp {
		t.Errorf("after delete: %+v", entries)
	}
	if _, err := d.Delete("bot-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Path("bot-1")); !os.IsNotExist(err) {
		t.Errorf("an empty dump file was kept: %v", err)
	}
}

func TestTornLineIsSkipped(t *testing.T) {
	d := Dir(t.TempDir())
	if err := d.Append(NewEntry(t0, "b", "b-queue", []byte("{}"), errors.New("x"))); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(d.Path("b"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"timestamp": "2024-`) // a crash in the middle of a write
	f.Close()
	if err := d.Append(NewEntry(t0.Add(time.Second), "b", "b-queue", []byte("{}"), errors.New("y"))); err != nil {
		t.Fatal(err)
	}
	// Only the torn line is lost; the entries before and after it are read.
	entries, corrupt, err := d.Read("b")
	if err != nil || len(entries) != 2 || corrupt != 1 {
		t.Errorf("Read: %d entries, %d corrupt, %v; want 2 and 1", len(entries), corrupt, err)
	}
}

// intelmqDump is a dump file as IntelMQ 3 writes it.
const intelmqDump = `{
    "2015-09-03T13:13:22.159014": {
        "bot_id": "malware-domain-list-parser",
        "message": "{\"feed.name\": \"x\", \"__type\": \"Report\"}",
        "source_queue": "malware-domain-list-parser-queue",
        "traceback": [
            "Traceback (most recent call last):\n",
            "ValueError: bad\n"
        ]
    },
    "2015-09-03T13:13:21.000000": {
        "bot_id": "malware-domain-list-parser",
        "message": "AAEC",
        "message_type": "base64",
        "source_queue": "malware-domain-list-parser-queue",
        "traceback": "Traceback (most recent call last):\nKeyError: 'x'\n"
    }
}`

func TestReadsIntelMQDumps(t *testing.T) {
	d := Dir(t.TempDir())
	if err := os.WriteFile(filepath.Join(string(d), "malware-domain-list-parser.dump"), []byte(intelmqDump), 0o600); err != nil {
		t.Fatal(err)
	}
	entries, _, err := d.Read("malware-domain-list-parser")
	if err != nil || len(entries) != 2 {
		t.Fatalf("Read: %d, %v", len(entries), err)
	}
	if entries[0].Error() != "KeyError: 'x'" || entries[1].Error() != "ValueError: bad" {
		t.Errorf("errors %q, %q", entries[0].Error(), entries[1].Error())
	}
	if b, _ := entries[0].Bytes(); !cmp.Equal(b, []byte{0, 1, 2}) {
		t.Errorf("base64 message %v", b)
	}
	sums, err := d.List()
	if err != nil || len(sums) != 1 || sums[0].Count != 2 {
		t.Fatalf("List: %+v, %v", sums, err)
	}
	if _, err := d.Delete("malware-domain-list-parser", 1); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(string(d), "malware-domain-list-parser.dump"))
	left, err := ParseIntelMQ(data)
	if err != nil || len(left) != 1 || left[0].Timestamp != "2015-09-03T13:13:21.000000" {
		t.Errorf("IntelMQ file after delete: %+v, %v\n%s", left, err, data)
	}
}

func TestTraceback(t *testing.T) {
	inner := errors.New("connection refused")
	tests := []struct {
		err  error
		want []string
	}{
		{fmt.Errorf("lookup: %w", inner), []string{"lookup: connection refused"}},
		{botapi.Permanent(fmt.Errorf("x: %w", inner)), []string{"x: connection refused"}},
		{errors.Join(errors.New("a"), errors.New("b")), []string{"a\nb"}},
		{&hiding{inner}, []string{"lookup failed", "  connection refused"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Traceback(tt.err)); diff != "" {
			t.Errorf("Traceback(%v) (-want +got):\n%s", tt.err, diff)
		}
	}
}

// hiding is an error whose text hides its cause's.
type hiding struct{ err error }

func (h *hiding) Error() string { return "lookup failed" }
func (h *hiding) Unwrap() error { return h.err }
