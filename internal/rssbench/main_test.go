// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dataLine is a Feodo Tracker row as the pipeline's parser reads it.
var dataLine = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+\.\d+\.\d+\.\d+,\d+,(offline,|online,2024-\d\d-\d\d),[A-Za-z]+$`)

func TestWriteCSV(t *testing.T) {
	var a, b bytes.Buffer
	n, lines, err := writeCSV(&a, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(a.Len()) || n < 10_000 || n > 10_000+100 {
		t.Errorf("writeCSV(10000) reported %d bytes and wrote %d; want just over 10000", n, a.Len())
	}
	text := strings.TrimPrefix(a.String(), csvHeader)
	rows := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(rows) != lines {
		t.Errorf("writeCSV reported %d data lines, wrote %d", lines, len(rows))
	}
	for _, r := range rows {
		if !dataLine.MatchString(r) {
			t.Fatalf("not a Feodo row: %q", r)
		}
	}
	if _, _, err := writeCSV(&b, 10_000); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two runs of writeCSV differ")
	}
}

func TestPrepare(t *testing.T) {
	dir := t.TempDir()
	res, err := prepare(dir, 5_000, 1234)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "in", "feodo.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() != res.reportBytes {
		t.Errorf("the report has %d bytes, prepare says %d", info.Size(), res.reportBytes)
	}
	hcl, err := os.ReadFile(filepath.Join(dir, "feed.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(hcl, []byte("chunk_size = 1234\n")) {
		t.Errorf("-chunk 1234 is not in the pipeline:\n%s", hcl)
	}
	if n, err := countLines(filepath.Join(dir, "in", "feodo.csv")); err != nil || n != res.lines+strings.Count(csvHeader, "\n") {
		t.Errorf("countLines = %d, %v; want %d", n, err, res.lines+strings.Count(csvHeader, "\n"))
	}
}
