// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build !unix

package file

import "os"

// tryLock is a no-op where flock does not exist.
func tryLock(*os.File) (busy bool, err error) { return false, nil }

// unlock is a no-op where flock does not exist.
func unlock(*os.File) error { return nil }
