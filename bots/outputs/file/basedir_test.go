// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// TestRelativeFileIsRelativeToTheConfiguration: a relative file is written
// under the folder of the configuration file (BaseDir), not under the
// working directory.
func TestRelativeFileIsRelativeToTheConfiguration(t *testing.T) {
	dir := t.TempDir()
	p, err := conformance.Params(Spec(), map[string]any{"file": "output/events.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	bot, err := New(&botapi.Context{BaseDir: dir}, p)
	if err != nil {
		t.Fatal(err)
	}
	o := bot.(*Output)
	if err := o.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	write(t, o, message.NewEvent(harmonization.Default()))
	if got := readFile(t, filepath.Join(dir, "output", "events.jsonl")); got != "{}\n" {
		t.Errorf("got %q, want {}", got)
	}
}
