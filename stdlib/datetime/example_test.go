// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime_test

import (
	"fmt"

	"github.com/intelmq-go/intelmq/stdlib/datetime"
)

func ExampleParse() {
	t, err := datetime.Parse("Wed, 04 Mar 2020 05:06:07 +0100")
	if err != nil {
		panic(err)
	}
	fmt.Println(datetime.Format(t))
	_, err = datetime.Parse("5")
	fmt.Println(err)
	// Output:
	// 2020-03-04T04:06:07+00:00
	// invalid date/time "5": numbers cannot be read as a date
}

func ExampleConvert() {
	for _, c := range [][2]string{
		{"timestamp", "1580000000.25"},
		{"epoch_millis", "1580000000123"},
		{"from_format|%d/%b/%Y:%H:%M:%S %z", "04/Mar/2020:05:06:07 +0100"},
		{"from_format_midnight|%d-%m-%Y", "04-03-2020"},
	} {
		s, err := datetime.Convert(c[0], c[1])
		fmt.Println(s, err)
	}
	// Output:
	// 2020-01-26T00:53:20.250000+00:00 <nil>
	// 2020-01-26T00:53:20+00:00 <nil>
	// 2020-03-04T04:06:07+00:00 <nil>
	// 2020-03-04T00:00:00+00:00 <nil>
}
