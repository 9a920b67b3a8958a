// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs_test

import (
	"fmt"

	"github.com/expr-lang/expr"

	"github.com/intelmq-go/intelmq/stdlib/funcs"
)

func ExampleOptions() {
	env := map[string]any{"first_seen": "2020-03-04 05:06:07", "url": "hxxp://evil[.]example/x"}
	opts := append([]expr.Option{expr.Env(env)}, funcs.Options()...)
	for _, src := range []string{
		`utcTime(first_seen + " CET")`,
		`urlHost(refang(url))`,
		`urlPort(refang(url))`,
	} {
		prog, err := expr.Compile(src, opts...)
		if err != nil {
			panic(err)
		}
		out, err := expr.Run(prog, env)
		fmt.Println(out, err)
	}
	// Output:
	// 2020-03-04T04:06:07+00:00 <nil>
	// evil.example <nil>
	// 80 <nil>
}
