// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// pipelineHCL is the measured pipeline; the verb is the file collector's
// extra parameters (chunk_size, when set by -chunk).
const pipelineHCL = `feed "feodo" {
  provider = "abuse.ch"
  name     = "Feodo Tracker"
  collect "file" {
    path = "in/feodo.csv"
%s  }
  parser = parser.feodo
}

parser "feodo" {
  csv {
    comment = ["#"]
    columns = ["first_seen", "dst_ip", "dst_port", "c2_status", "last_online", "malware"]
  }
  set = {
    "classification.type" = "c2-server"
  }
  map = {
    "time.source"  = "first_seen + ' UTC'"
    "source.ip"    = "dst_ip"
    "source.port"  = "int(dst_port)"
    "malware.name" = "lower(malware)"
    "extra.status" = "c2_status"
  }
}

output "file" "events" {
  file = "out/events.jsonl"
}

pipeline "main" {
  feeds = [feed.feodo]
  route {
    to = [output.events]
  }
}
`

// result is one measured run.
type result struct {
	reportBytes int64
	lines       int
	events      int
	maxRSS      int64 // bytes; 0 when the platform does not report it
	wall        time.Duration
	cpu         time.Duration // user and system time of the binary
}

func (r result) String() string {
	s := fmt.Sprintf("report %.1f MB (%d lines), %d events written in %s (CPU %s)",
		float64(r.reportBytes)/1e6, r.lines, r.events, r.wall.Round(100*time.Millisecond), r.cpu.Round(100*time.Millisecond))
	if r.maxRSS > 0 {
		s += fmt.Sprintf(", max RSS %.1f MB = %.2fx the report",
			float64(r.maxRSS)/1e6, float64(r.maxRSS)/float64(r.reportBytes))
	}
	return s
}

func main() {
	bin := flag.String("bin", "bin/intelmq", "the intelmq binary to measure")
	mb := flag.Float64("mb", 100, "the size of the generated report in MB (10^6 bytes)")
	chunk := flag.Int64("chunk", -1, "the file collector's chunk_size; -1 leaves the collector's default")
	keep := flag.Bool("keep", false, "keep the temporary directory and print its path")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "Usage: rssbench [-bin bin/intelmq] [-mb 100] [-chunk N] [-keep] [-- extra intelmq run flags]")
		flag.PrintDefaults()
	}
	flag.Parse()
	res, err := measure(*bin, int64(*mb*1e6), *chunk, *keep, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "rssbench:", err)
		os.Exit(1)
	}
	fmt.Println(res)
}

// measure generates the report and the pipeline in a temporary directory
// and runs bin on them.
func measure(bin string, size, chunk int64, keep bool, extra []string) (result, error) {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return result{}, err
	}
	dir, err := os.MkdirTemp("", "rssbench-")
	if err != nil {
		return result{}, err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "rssbench: working in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	res, err := prepare(dir, size, chunk)
	if err != nil {
		return res, err
	}
	args := append([]string{"run", "--once", "--progress=false"}, extra...)
	cmd := exec.Command(bin, append(args, dir)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	res.wall = time.Since(start)
	if err != nil {
		return res, fmt.Errorf("%s: %w\n%s", bin, err, out.Bytes())
	}
	res.maxRSS = maxRSS(cmd.ProcessState)
	res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if res.events, err = countLines(filepath.Join(dir, "out", "events.jsonl")); err != nil {
		return res, err
	}
	if res.events != res.lines {
		return res, fmt.Errorf("%d events written for %d data lines:\n%s", res.events, res.lines, out.Bytes())
	}
	return res, nil
}

// prepare writes the pipeline and a report of about size bytes into dir.
func prepare(dir string, size, chunk int64) (result, error) {
	var params string
	if chunk >= 0 {
		params = "    chunk_size = " + strconv.FormatInt(chunk, 10) + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "feed.hcl"), fmt.Appendf(nil, pipelineHCL, params), 0o644); err != nil {
		return result{}, err
	}
	if err := os.Mkdir(filepath.Join(dir, "in"), 0o755); err != nil {
		return result{}, err
	}
	f, err := os.Create(filepath.Join(dir, "in", "feodo.csv"))
	if err != nil {
		return result{}, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	n, lines, err := writeCSV(w, size)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return result{reportBytes: n, lines: lines}, err
}

// csvHeader is the comment header of abuse.ch's Feodo Tracker list.
const csvHeader = "################################################################\n" +
	"# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)            #\n" +
	"################################################################\n" +
	"#\n# \"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"\n"

// writeCSV writes Feodo Tracker-style lines (first_seen, dst_ip, dst_port,
// c2_status, last_online, malware) after the comment header until at least
// size bytes are written, deterministically. It returns the bytes written
// and the number of data lines.
func writeCSV(w io.Writer, size int64) (int64, int, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	malware := []string{"Dridex", "Emotet", "TrickBot", "QakBot", "BazarLoader", "Pikabot"}
	ports := []int{443, 447, 449, 8080, 2222, 995, 4643}
	n, err := io.WriteString(w, csvHeader)
	total, lines := int64(n), 0
	line := make([]byte, 0, 128)
	for err == nil && total < size {
		status, last := "offline", ""
		if rng.IntN(4) == 0 {
			status, last = "online", fmt.Sprintf("2024-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))
		}
		line = fmt.Appendf(line[:0], "%d-%02d-%02d %02d:%02d:%02d,%d.%d.%d.%d,%d,%s,%s,%s\n",
			2019+rng.IntN(6), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60),
			1+rng.IntN(223), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254),
			ports[rng.IntN(len(ports))], status, last, malware[rng.IntN(len(malware))])
		n, err = w.Write(line)
		total += int64(n)
		lines++
	}
	return total, lines, err
}

// countLines counts the lines of a file.
func countLines(name string) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, nil
		}
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	count := 0
	for {
		n, err := f.Read(buf)
		count += bytes.Count(buf[:n], []byte{'\n'})
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, err
		}
	}
}
