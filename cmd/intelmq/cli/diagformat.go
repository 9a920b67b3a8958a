// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// writeTextDiagnostics writes each diagnostic as a "file:line:col: " line
// followed by hcl's text rendering (width 0, no colour) with the snippet.
func writeTextDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	for _, d := range diags {
		var buf bytes.Buffer
		tw := hcl.NewDiagnosticTextWriter(&buf, files, 0, false)
		if err := tw.WriteDiagnostic(d); err != nil {
			return err
		}
		if d.Subject != nil {
			fmt.Fprintf(w, "%s: ", posString(d.Subject))
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func posString(r *hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

func severity(d *hcl.Diagnostic) string {
	if d.Severity == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}

// jsonPos and jsonRange mirror hcl.Pos and hcl.Range in the JSON output.
type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonDiag struct {
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *jsonRange `json:"range,omitempty"`
}

type jsonReport struct {
	Valid        bool       `json:"valid"`
	ErrorCount   int        `json:"error_count"`
	WarningCount int        `json:"warning_count"`
	Feeds        int        `json:"feeds"`
	Parsers      int        `json:"parsers"`
	Outputs      int        `json:"outputs"`
	Diagnostics  []jsonDiag `json:"diagnostics"`
}

func toJSONRange(r *hcl.Range) *jsonRange {
	if r == nil {
		return nil
	}
	return &jsonRange{
		Filename: r.Filename,
		Start:    jsonPos{r.Start.Line, r.Start.Column, r.Start.Byte},
		End:      jsonPos{r.End.Line, r.End.Column, r.End.Byte},
	}
}

func writeJSONReport(w io.Writer, s summary, diags hcl.Diagnostics) error {
	rep := jsonReport{Valid: s.errors == 0, ErrorCount: s.errors, WarningCount: s.warnings,
		Feeds: s.feeds, Parsers: s.parsers, Outputs: s.outputs, Diagnostics: []jsonDiag{}}
	for _, d := range diags {
		rep.Diagnostics = append(rep.Diagnostics, jsonDiag{Severity: severity(d), Summary: d.Summary, Detail: d.Detail, Range: toJSONRange(d.Subject)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// SARIF 2.1.0, the subset code-scanning tools read.
type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

// ruleID turns a Summary into a stable rule id: "Unknown field" → "unknown-field".
func ruleID(summary string) string {
	return strings.ReplaceAll(strings.ToLower(summary), " ", "-")
}

func writeSARIF(w io.Writer, diags hcl.Diagnostics) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{
		Name: "intelmq", Version: Version, InformationURI: "https://github.com/intelmq-go/intelmq", Rules: []sarifRule{},
	}}, Results: []sarifResult{}}
	seen := map[string]bool{}
	for _, d := range diags {
		id := ruleID(d.Summary)
		if !seen[id] {
			seen[id] = true
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{d.Summary}})
		}
		res := sarifResult{RuleID: id, Level: severity(d), Message: sarifMessage{d.Summary + ": " + d.Detail}}
		if r := d.Subject; r != nil {
			res.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: r.Filename},
				Region:           sarifRegion{r.Start.Line, r.Start.Column, r.End.Line, r.End.Column},
			}}}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Version: "2.1.0", Schema: "https://json.schemastore.org/sarif-2.1.0.json", Runs: []sarifRun{run}})
}

// writeGitHub writes GitHub Actions workflow commands that annotate the
// pull request: "::error file=f,line=l,col=c,endLine=..,endColumn=..,title=summary::detail".
func writeGitHub(w io.Writer, diags hcl.Diagnostics) error {
	for _, d := range diags {
		props := []string{}
		if r := d.Subject; r != nil {
			props = append(props, "file="+ghProp(r.Filename), fmt.Sprintf("line=%d", r.Start.Line), fmt.Sprintf("col=%d", r.Start.Column),
				fmt.Sprintf("endLine=%d", r.End.Line), fmt.Sprintf("endColumn=%d", r.End.Column))
		}
		props = append(props, "title="+ghProp(d.Summary))
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", severity(d), strings.Join(props, ","), ghData(d.Detail)); err != nil {
			return err
		}
	}
	return nil
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
