// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Case is one IntelMQ test method: the module under test, its parameters
// and one or more runs of the bot.
type Case struct {
	// Name is the case file's path below the corpus's parsers directory,
	// without ".json", e.g. "spamhaus/TestSpamhausDropParserBot.test_asn".
	Name       string
	Bot        string
	Parameters map[string]any
	Runs       []Run
}

// Run is one start of the bot: the reports it read and what IntelMQ's
// test asserted about its output.
type Run struct {
	Input        []json.RawMessage `json:"input"`
	Expected     []Expected        `json:"expected"`
	OutputCounts map[string]int    `json:"output_counts"`
	LoggedErrors int               `json:"logged_errors"`
}

// Expected is one passing assertMessageEqual of the IntelMQ test.
type Expected struct {
	Path       string         `json:"path"`
	Position   int            `json:"position"`
	CompareRaw bool           `json:"compare_raw"`
	Message    map[string]any `json:"message"`
}

// caseFile is the JSON layout of a case file.
type caseFile struct {
	Run
	Bot            string         `json:"bot"`
	BotType        string         `json:"bot_type"`
	Parameters     map[string]any `json:"parameters"`
	AdditionalRuns []Run          `json:"additional_runs"`
}

// LoadParserCases reads every parser case of the corpus in dir (the
// directory holding parsers/, experts/ and samples/), sorted by name.
func LoadParserCases(dir string) ([]*Case, error) {
	root := filepath.Join(dir, "parsers")
	files, err := filepath.Glob(filepath.Join(root, "*", "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no parser cases in %s", root)
	}
	sort.Strings(files)
	out := make([]*Case, 0, len(files))
	for _, f := range files {
		c, err := readCase(f)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(root, f)
		if err != nil {
			return nil, err
		}
		c.Name = strings.TrimSuffix(filepath.ToSlash(rel), ".json")
		out = append(out, c)
	}
	return out, nil
}

func readCase(file string) (*Case, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var cf caseFile
	if err := json.Unmarshal(data, &cf); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if cf.Bot == "" {
		return nil, fmt.Errorf("%s: the case names no bot", file)
	}
	c := &Case{Bot: cf.Bot, Parameters: cf.Parameters, Runs: append([]Run{cf.Run}, cf.AdditionalRuns...)}
	if c.Parameters == nil {
		c.Parameters = map[string]any{}
	}
	return c, nil
}
