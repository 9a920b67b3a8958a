// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/intelmq-go/intelmq/lang/schema"
)

// Ext is the file name extension of the language's files.
const Ext = ".hcl"

// Loader parses and decodes files. It keeps every parsed file, so that
// diagnostics can be rendered with source snippets (see Files). A Loader is
// not safe for concurrent use.
type Loader struct {
	parser *hclparse.Parser
	root   *schema.Block
}

// NewLoader returns a Loader with no files.
func NewLoader() *Loader {
	return &Loader{parser: hclparse.NewParser(), root: schema.File()}
}

// Files returns the parsed files by name, for hcl.NewDiagnosticTextWriter.
func (l *Loader) Files() map[string]*hcl.File { return l.parser.Files() }

// Parse parses and decodes one file's source.
func (l *Loader) Parse(filename string, src []byte) (*File, hcl.Diagnostics) {
	f, diags := l.parser.ParseHCL(src, filename)
	if f == nil || f.Body == nil {
		return &File{Name: filename}, diags
	}
	file, more := l.decodeFile(filename, f)
	return file, append(diags, more...)
}

// LoadPaths reads every path: a file is parsed whatever its name, a
// directory contributes the *.hcl files directly in it (not those of its
// subdirectories: a directory is one configuration), in lexical order.
// Unreadable paths are error diagnostics without a range.
func (l *Loader) LoadPaths(paths []string) ([]*File, hcl.Diagnostics) {
	names, diags := ListFiles(paths, false)
	var files []*File
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			diags = append(diags, ioDiag(err))
			continue
		}
		f, more := l.Parse(name, src)
		files = append(files, f)
		diags = append(diags, more...)
	}
	return files, diags
}

// ListFiles expands paths into a list of files: a file stands for itself,
// a directory for its *.hcl files in lexical order, including those of its
// subdirectories when recursive is set.
func ListFiles(paths []string, recursive bool) ([]string, hcl.Diagnostics) {
	var names []string
	var diags hcl.Diagnostics
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			diags = append(diags, ioDiag(err))
			continue
		}
		if !info.IsDir() {
			names = append(names, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && !recursive {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), Ext) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			diags = append(diags, ioDiag(err))
		}
		sort.Strings(found)
		names = append(names, found...)
	}
	return names, diags
}

func ioDiag(err error) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Cannot read configuration",
		Detail:   fmt.Sprintf("%s.", err),
	}
}

// IsIOError reports whether d is a file-reading problem (exit status 2 in
// the CLI) rather than a finding in the configuration.
func IsIOError(d *hcl.Diagnostic) bool {
	return d.Subject == nil && d.Summary == "Cannot read configuration"
}

func (l *Loader) decodeFile(name string, f *hcl.File) (*File, hcl.Diagnostics) {
	d := &decoder{src: f.Bytes}
	file := &File{Name: name}
	content, diags := f.Body.Content(bodySchema(l.root))
	for _, b := range content.Blocks {
		var more hcl.Diagnostics
		switch b.Type {
		case schema.KindFeed:
			var x *Feed
			x, more = d.decodeFeed(b, l.root.Block(b.Type))
			if x != nil {
				file.Feeds = append(file.Feeds, x)
			}
		case schema.KindParser:
			var x *Parser
			x, more = d.decodeParser(b, l.root.Block(b.Type))
			if x != nil {
				file.Parsers = append(file.Parsers, x)
			}
		case schema.KindExpert, schema.KindOutput, schema.KindBot:
			var x *Bot
			x, more = d.decodeBot(b)
			if x != nil {
				file.Bots = append(file.Bots, x)
			}
		case schema.KindPipeline:
			var x *Pipeline
			x, more = d.decodePipeline(b, l.root.Block(b.Type))
			if x != nil {
				file.Pipelines = append(file.Pipelines, x)
			}
		}
		diags = append(diags, more...)
	}
	return file, diags
}
