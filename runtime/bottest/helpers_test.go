// SPDX-License-Identifier: AGPL-3.0-or-later

package bottest_test

import "encoding/base64"

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
