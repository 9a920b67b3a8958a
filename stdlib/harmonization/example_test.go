// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization_test

import (
	"errors"
	"fmt"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// A field sanitizes a raw feed value and validates the result with IntelMQ's
// rules and error reasons.
func Example() {
	schema := harmonization.Default()
	f, err := schema.Field(harmonization.Event, "source.ip")
	if err != nil {
		panic(err)
	}
	v, err := f.Sanitize(harmonization.String(" 192.0.2.1/32 "))
	if err == nil {
		err = f.Validate(v)
	}
	fmt.Println(v, err)

	f, _ = schema.Field(harmonization.Event, "source.geolocation.cc")
	err = f.Validate(harmonization.String("DEU"))
	var invalid *harmonization.InvalidValueError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Reason)
	}

	_, err = schema.Field(harmonization.Event, "extra.Foo")
	fmt.Println(errors.Is(err, harmonization.ErrInvalidKey))
	// Output:
	// 192.0.2.1 <nil>
	// too long: 3 > 2.
	// true
}

// Sanitize normalises values as IntelMQ does, including its quirks.
func ExampleType() {
	for _, c := range []struct {
		typ   string
		value harmonization.Value
	}{
		{harmonization.TypeClassificationType, harmonization.String("Botnet Drone")},
		{harmonization.TypeFQDN, harmonization.String("Bücher.Example.")},
		{harmonization.TypeIPAddress, harmonization.String("::ffff:1.2.3.4")},
		{harmonization.TypeInteger, harmonization.Float(12.7)},
		{harmonization.TypeTLP, harmonization.String("tlp:yellow")},
		{harmonization.TypeURL, harmonization.String("hxxp://example.com/x")},
		{harmonization.TypeDateTime, harmonization.String("2020-03-04 05:06:07 +01:00")},
	} {
		typ, _ := harmonization.TypeByName(c.typ)
		v, err := typ.Sanitize(c.value)
		fmt.Println(c.typ, harmonization.PyRepr(v), err, typ.Validate(v))
	}
	// Output:
	// ClassificationType 'infected-system' <nil> true
	// FQDN 'xn--bcher-kva.example' <nil> true
	// IPAddress '::ffff:102:304' <nil> true
	// Integer 12 <nil> true
	// TLP 'AMBER' <nil> true
	// URL 'http://example.com/x' <nil> true
	// DateTime '2020-03-04T04:06:07+00:00' <nil> true
}
