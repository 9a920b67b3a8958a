// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Expected is one assertMessageEqual of a recorded run.
type Expected struct {
	Path       string         `json:"path"`
	Position   int            `json:"position"`
	CompareRaw bool           `json:"compare_raw"`
	Message    map[string]any `json:"message"`
}

// Run is one run of the bot in a recorded test: its parameters, its input
// messages and what IntelMQ produced.
type Run struct {
	Parameters       map[string]any    `json:"parameters"`
	DestinationPaths []string          `json:"destination_paths"`
	Input            []json.RawMessage `json:"input"`
	Expected         []Expected        `json:"expected"`
	OutputCounts     map[string]int    `json:"output_counts"`
	RedisCacheBefore map[string]string `json:"redis_cache_before"`
	AllowedErrors    int               `json:"allowed_errors"`
	AllowedWarnings  int               `json:"allowed_warnings"`
}

// Case is one recorded IntelMQ test method.
type Case struct {
	Run
	// Name is the file name without ".json".
	Name           string `json:"-"`
	Bot            string `json:"bot"`
	TestMethod     string `json:"test_method"`
	UsesRedisCache bool   `json:"uses_redis_cache"`
	AdditionalRuns []Run  `json:"additional_runs"`
}

// Runs returns the case's first run followed by its additional runs.
func (c *Case) Runs() []Run {
	return append([]Run{c.Run}, c.AdditionalRuns...)
}

// Load reads the case file at path, failing t if it cannot.
func Load(t testing.TB, path string) *Case {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	c := &Case{}
	if err := dec.Decode(c); err != nil {
		t.Fatalf("conformance: %s: %v", path, err)
	}
	c.Name = strings.TrimSuffix(filepath.Base(path), ".json")
	return c
}

// LoadDir reads every *.json case in dir, sorted by file name. It fails t
// if there is none.
func LoadDir(t testing.TB, dir string) []*Case {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("conformance: no case files in %s (%v)", dir, err)
	}
	sort.Strings(paths)
	cases := make([]*Case, 0, len(paths))
	for _, p := range paths {
		cases = append(cases, Load(t, p))
	}
	return cases
}
