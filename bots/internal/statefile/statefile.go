// SPDX-License-Identifier: AGPL-3.0-or-later

package statefile

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// WriteJSON writes v as JSON (and a newline) to path atomically: it writes
// a temporary file in the same directory, syncs it to disk and renames it
// over path.
func WriteJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
