// SPDX-License-Identifier: AGPL-3.0-or-later

package rsync

import (
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// needRsync skips the test when the rsync program is missing.
func needRsync(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("rsync"); err != nil {
		t.Skip("the rsync program is not installed (apt-get install rsync): the rsync collector cannot be tested")
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// exampleFile is IntelMQ's testfile.txt of its rsync collector test.
const exampleFile = "bar text\n"

func run(t *testing.T, raw map[string]any, c bottest.Case) *bottest.Result {
	t.Helper()
	p, err := conformance.Params(Spec(), raw)
	if err != nil {
		t.Fatal(err)
	}
	c.Kind, c.New, c.Params = botapi.KindCollector, New, p
	if c.Feed == nil {
		c.Feed = &botapi.Feed{Name: "RsyncCollector", Accuracy: 100}
	}
	return bottest.Run(t, c)
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLocal follows IntelMQ's test_events: the file of a local folder is
// mirrored into temp_directory and sent; a changed file is sent again
// with its new content.
func TestLocal(t *testing.T) {
	needRsync(t)
	src, tmp := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(src, "testfile.txt"), exampleFile)
	params := map[string]any{"rsync_path": src, "file": "testfile.txt", "temp_directory": tmp}
	res := run(t, params, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "RsyncCollector", "feed.accuracy": 100.0, "raw": b64(exampleFile)}, true, "")
	res.AssertLogMatches(t, `^Updating file testfile\.txt\.$`, "INFO")
	if got, err := os.ReadFile(filepath.Join(tmp, "testfile.txt")); err != nil || string(got) != exampleFile {
		t.Errorf("mirrored copy %q (%v)", got, err)
	}

	// rsync's quick check compares size and modification time: give the
	// new content of the same size a later time, as a real update has.
	writeFile(t, filepath.Join(src, "testfile.txt"), "new text\n")
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(src, "testfile.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	res = run(t, params, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "RsyncCollector", "feed.accuracy": 100.0, "raw": b64("new text\n")}, true, "")
}

// TestStateDirDefault: without temp_directory the copy is kept in the
// state directory; a relative rsync_path is relative to the
// configuration's folder.
func TestStateDirDefault(t *testing.T) {
	needRsync(t)
	base, state := t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(base, "feeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(base, "feeds", "list.txt"), "example.com\n")
	res := run(t, map[string]any{"rsync_path": "feeds", "file": "list.txt"}, bottest.Case{BaseDir: base, StateDir: state})
	res.AssertOutputLen(t, "", 1)
	if _, err := os.Stat(filepath.Join(state, stateSubdir, "list.txt")); err != nil {
		t.Errorf("no copy in the state directory: %v", err)
	}
}

// TestFail follows IntelMQ's test_fail: a source that does not exist
// fails the collection with rsync's exit code, and nothing is sent.
func TestFail(t *testing.T) {
	needRsync(t)
	res := run(t, map[string]any{"rsync_path": "/foobar", "file": "testfile.txt", "temp_directory": t.TempDir()},
		bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `rsync on file 'testfile\.txt' failed with exitcode 23 and stderr '.*No such file or directory`, "ERROR")
}

// TestEmptyFile: an empty file sends nothing.
func TestEmptyFile(t *testing.T) {
	needRsync(t)
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "empty.txt"), "")
	res := run(t, map[string]any{"rsync_path": src, "file": "empty.txt", "temp_directory": t.TempDir()}, bottest.Case{})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `^The file empty\.txt is empty, nothing to send\.$`, "INFO")
}

// TestMaxSize: a file larger than max_size fails the collection.
func TestMaxSize(t *testing.T) {
	needRsync(t)
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "big.txt"), strings.Repeat("x", 100))
	res := run(t, map[string]any{"rsync_path": src, "file": "big.txt", "temp_directory": t.TempDir(), "max_size": 50},
		bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `has 100 bytes, more than max_size 50`, "ERROR")
}

// startDaemon starts "rsync --daemon" on a free loopback port with a
// module "feeds" serving dir, and returns the port.
func startDaemon(t *testing.T, dir string) int {
	t.Helper()
	conf := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := fmt.Sprintf("use chroot = no\npid file = %s\nlog file = %s\n[feeds]\n  path = %s\n  read only = yes\n",
		filepath.Join(conf, "rsyncd.pid"), filepath.Join(conf, "rsyncd.log"), dir)
	writeFile(t, filepath.Join(conf, "rsyncd.conf"), cfg)
	cmd := exec.Command("rsync", "--daemon", "--no-detach", "--address=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--config="+filepath.Join(conf, "rsyncd.conf"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill() //nolint:errcheck // the daemon may have exited
		cmd.Wait()         //nolint:errcheck // killed
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return port
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(conf, "rsyncd.log"))
			t.Fatalf("the rsync daemon does not answer on port %d: %v\n%s", port, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDaemon mirrors from an rsync daemon, as the SURBL feed does
// ("host::module/"), with the port in extra_params and the file name
// formatted with yesterday's date (the harness's clock is at 2016-01-01).
func TestDaemon(t *testing.T) {
	needRsync(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "wild-2015-12-31.rbldnsd"), "example.com\n")
	port := startDaemon(t, dir)
	res := run(t, map[string]any{
		"rsync_path": "127.0.0.1::feeds/", "file": "wild-{time[%Y-%m-%d]}.rbldnsd",
		"rsync_file_path_formatting": true, "rsync_time_offset": "-24h",
		"extra_params": []any{fmt.Sprintf("--port=%d", port)}, "temp_directory": t.TempDir(),
	}, bottest.Case{})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "RsyncCollector", "feed.accuracy": 100.0, "raw": b64("example.com\n")}, true, "")
	res.AssertLogMatches(t, `^Updating file wild-2015-12-31\.rbldnsd\.$`, "INFO")

	res = run(t, map[string]any{"rsync_path": fmt.Sprintf("rsync://127.0.0.1:%d/feeds/", port), "file": "missing.txt",
		"temp_directory": t.TempDir()}, bottest.Case{AllowedErrors: 1})
	res.AssertOutputLen(t, "", 0)
	res.AssertLogMatches(t, `rsync on file 'missing\.txt' failed with exitcode 23`, "ERROR")
}

// TestPrivateKey: private_key is written, normalised, readable by its
// owner only, and rsync runs ssh with it.
func TestPrivateKey(t *testing.T) {
	state := t.TempDir()
	body := strings.Repeat("QUJD", 30)
	p, err := conformance.Params(Spec(), map[string]any{"rsync_path": "user@host:dir/", "file": "f",
		"private_key":              "-----BEGIN OPENSSH PRIVATE KEY----- " + body[:50] + "\n" + body[50:] + " -----END OPENSSH PRIVATE KEY-----",
		"strict_host_key_checking": true, "extra_params": []any{"-z"}, "rsync_binary": "sh"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(&botapi.Context{StateDir: state}, p)
	if err != nil {
		t.Fatal(err)
	}
	c := b.(*Collector)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(state, keyFileName)
	fi, err := os.Stat(keyPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v, mode %v", err, fi)
	}
	got, _ := os.ReadFile(keyPath)
	want := "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body[:70] + "\n" + body[70:] + "\n-----END OPENSSH PRIVATE KEY-----\n"
	if string(got) != want {
		t.Errorf("key file\n%s\nwant\n%s", got, want)
	}
	wantArgs := []string{"-z", "-e", "ssh -i " + shellQuote(keyPath) + " -o StrictHostKeyChecking=yes"}
	if fmt.Sprint(c.args) != fmt.Sprint(wantArgs) {
		t.Errorf("args %q, want %q", c.args, wantArgs)
	}
}

// TestValidate rejects parameters that cannot work.
func TestValidate(t *testing.T) {
	for name, raw := range map[string]map[string]any{
		"both keys":      {"private_key": "x", "private_key_path": "/k"},
		"bad template":   {"rsync_file_path_formatting": true, "file": "{time[%Y]"},
		"other argument": {"rsync_file_path_formatting": true, "file": "{date}"},
		"empty file":     {"file": " "},
		"no timeout":     {"timeout": "0s"},
	} {
		all := map[string]any{"rsync_path": "/src", "file": "f.txt"}
		for k, v := range raw {
			all[k] = v
		}
		p, err := conformance.Params(Spec(), all)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := New(&botapi.Context{}, p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := b.(botapi.Validator).Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, raw)
		}
	}
}

func TestJoinSource(t *testing.T) {
	for _, c := range [][3]string{
		{"blacksync.prolocation.net::surbl-wild/", "wild.surbl.org.rbldnsd", "blacksync.prolocation.net::surbl-wild/wild.surbl.org.rbldnsd"},
		{"/srv/feeds", "a.txt", "/srv/feeds/a.txt"},
		{"/srv/feeds", "/abs/a.txt", "/abs/a.txt"},
	} {
		if got := joinSource(c[0], c[1]); got != c[2] {
			t.Errorf("joinSource(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
	for src, want := range map[string]bool{"host::mod/": false, "rsync://h/m/": false, "u@h:dir": false, "/a/b": true, "./x:y": true, "rel": true} {
		if isLocal(src) != want {
			t.Errorf("isLocal(%q) = %v", src, !want)
		}
	}
}
