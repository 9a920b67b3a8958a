// SPDX-License-Identifier: AGPL-3.0-or-later

package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Binary is the name of the server executable looked up on PATH.
const Binary = "redis-server"

// InstallHint tells how to get the binary when it is missing.
const InstallHint = "install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) so that redis-server is on PATH"

// startTimeout bounds the wait for the server's first PONG; it guards
// against a server that never comes up.
const startTimeout = 20 * time.Second

// Server is a running private redis-server.
type Server struct {
	// Socket is the path of the server's unix socket.
	Socket string
	// Dir is the server's working directory, which holds its log.
	Dir string
	cmd *exec.Cmd
}

// URL returns the server's address as a unix:// URL for database db, the
// form that redisq and go-redis's ParseURL accept.
func (s *Server) URL(db int) string {
	return fmt.Sprintf("unix://%s?db=%d", s.Socket, db)
}

// Start starts a private redis-server for t and returns its URL, which
// names the socket and no database (users pick theirs; redisq then uses the
// IntelMQ pipeline database 2).
func Start(t testing.TB) string {
	t.Helper()
	return "unix://" + StartServer(t).Socket
}

// StartServer starts a private redis-server, waits until it answers PING,
// and kills it in t.Cleanup. It fails t if the binary is missing or the
// server does not start.
func StartServer(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath(Binary)
	if err != nil {
		t.Fatalf("redistest: %s not found: %v; %s", Binary, err, InstallHint)
	}
	// A unix socket path is limited to about 100 bytes, which t.TempDir()
	// can exceed with long test names: use a short directory instead.
	dir, err := os.MkdirTemp("", "redis")
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	s := &Server{Socket: filepath.Join(dir, "redis.sock"), Dir: dir}
	s.cmd = exec.Command(bin,
		"--port", "0",
		"--unixsocket", s.Socket,
		"--unixsocketperm", "700",
		"--save", "",
		"--appendonly", "no",
		"--dir", dir,
		"--logfile", filepath.Join(dir, "redis.log"),
		"--daemonize", "no",
	)
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("redistest: start %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-exited
	})
	if err := waitReady(s.Socket, exited); err != nil {
		t.Fatalf("redistest: %s did not start: %v\nlog:\n%s", bin, err, s.log())
	}
	return s
}

// waitReady polls the socket until the server answers PING.
func waitReady(socket string, exited <-chan error) error {
	deadline := time.Now().Add(startTimeout)
	delay := time.Millisecond
	for {
		err := ping(socket)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer on %s after %v: %w", socket, startTimeout, err)
		}
		select {
		case werr := <-exited:
			return fmt.Errorf("server exited: %v", werr)
		case <-time.After(delay):
		}
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// ping sends one PING in the Redis protocol and expects +PONG.
func ping(socket string) error {
	conn, err := net.DialTimeout("unix", socket, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return errors.New("unexpected reply " + strings.TrimSpace(line))
	}
	return nil
}

// log returns the server's log, for error messages.
func (s *Server) log() string {
	b, err := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return string(b)
}
