// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzExtract checks that any download, including a broken archive, is
// extracted or rejected without a panic and within the size limit.
func FuzzExtract(f *testing.F) {
	for _, name := range []string{"two_files.zip", "two_files.tar.gz", "foobar.gz", "subdir.zip", "foobar.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 1 << 16
		files, _, err := extract(data, nil, limit)
		if err != nil {
			return
		}
		var total int
		for _, fl := range files {
			total += len(fl.Data)
		}
		if total > limit && len(files) > 1 {
			t.Errorf("extracted %d bytes, more than the limit %d", total, limit)
		}
	})
}
