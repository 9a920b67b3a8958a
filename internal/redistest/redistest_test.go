// SPDX-License-Identifier: AGPL-3.0-or-later

package redistest_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/internal/redistest"
)

func TestStartAnswersAndIsPrivate(t *testing.T) {
	s := redistest.StartServer(t)
	conn, err := net.Dial("unix", s.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	// Persistence is off: CONFIG GET save returns an empty value (the
	// reply's last line is empty).
	if _, err := conn.Write([]byte("CONFIG GET save\r\n")); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := 0; i < 5; i++ {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.TrimSpace(line))
	}
	if got := strings.Join(lines, " "); got != "*2 $4 save $0 " {
		t.Fatalf("CONFIG GET save = %q, want no snapshots", got)
	}
	if url := s.URL(4); url != "unix://"+s.Socket+"?db=4" {
		t.Fatalf("URL(4) = %q", url)
	}
}

func TestStartReturnsUnixURL(t *testing.T) {
	a, b := redistest.Start(t), redistest.Start(t)
	if !strings.HasPrefix(a, "unix:///") || a == b {
		t.Fatalf("Start returned %q and %q, want two distinct unix:// URLs", a, b)
	}
}

func TestMissingBinaryFails(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		redistest.Start(ft)
	}()
	<-done
	if !strings.Contains(ft.msg, "apt-get install redis-server") {
		t.Fatalf("missing binary gave %q, want an install hint", ft.msg)
	}
}

// fakeT records Fatalf and stops the goroutine like testing.T does.
type fakeT struct {
	testing.TB
	msg string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestCPUGrowsWithWork(t *testing.T) {
	s := redistest.StartServer(t)
	url := "unix://" + s.Socket
	before := redistest.CPU(t, url)
	conn, err := net.Dial("unix", s.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var cmds strings.Builder
	for i := 0; i < 20000; i++ {
		cmds.WriteString("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
	}
	if _, err := conn.Write([]byte(cmds.String())); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5*20000)
	if _, err := io.ReadFull(conn, buf); err != nil { // 20000 "+OK\r\n"
		t.Fatal(err)
	}
	if after := redistest.CPU(t, url); !(after > before && before >= 0) {
		t.Errorf("CPU went from %v to %v s over 20000 commands", before, after)
	}
}
