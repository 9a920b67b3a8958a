// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/internal/clock"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// TestRelativePathsAreRelativeToTheConfiguration: path and move_to are
// read relative to the folder of the configuration file (BaseDir), not to
// the working directory, so "intelmq run examples/quickstart" works from
// anywhere.
func TestRelativePathsAreRelativeToTheConfiguration(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "samples"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, filepath.Join(dir, "samples"), map[string]string{"a.txt": lorem})
	p, err := conformance.Params(Spec(), map[string]any{"path": "samples/*.txt", "move_to": "done"})
	if err != nil {
		t.Fatal(err)
	}
	bot, err := New(&botapi.Context{BaseDir: dir, Feed: &botapi.Feed{Name: "Example feed"},
		Clock: clock.NewManual(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), Logger: slog.New(slog.DiscardHandler)}, p)
	if err != nil {
		t.Fatal(err)
	}
	c := bot.(*Collector)
	if err := os.Mkdir(filepath.Join(dir, "done"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	reports := collect(t, c)
	if len(reports) != 1 || reports[0]["raw"] != lorem {
		t.Fatalf("got %v, want the report of samples/a.txt", reports)
	}
	if _, err := os.Stat(filepath.Join(dir, "done", "a.txt")); err != nil {
		t.Errorf("the file was not moved into <BaseDir>/done: %v", err)
	}
}
