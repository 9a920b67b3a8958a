// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/didyoumean"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// field returns the schema field of an event key, reporting an unknown key
// at r.
func (c *compiler) field(key string, r hcl.Range) *harmonization.Field {
	f, err := c.schema.Field(harmonization.Event, key)
	if err == nil {
		return f
	}
	detail := fmt.Sprintf("The harmonization schema has no event field %q.", key)
	if strings.HasPrefix(key, "extra.") {
		detail = fmt.Sprintf("%q is not a valid extra key: keys are lowercase letters, digits and underscores, separated by dots.", key)
	}
	if s := didyoumean.NameSuggestion(key, c.fieldKeys); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	} else if !strings.HasPrefix(key, "extra.") {
		detail += " Run \"intelmq schema\" for the list of fields, or use an extra.* key for data the schema has no field for."
	}
	c.errorf(r, "Unknown field", detail)
	return nil
}

// fieldSet tracks the fields an event gets, to report a field filled twice
// (IntelMQ's add raises KeyExists).
type fieldSet map[string]hcl.Range

func (c *compiler) claim(fs fieldSet, key string, r hcl.Range) {
	if first, dup := fs[key]; dup {
		c.errorf(r, "Field set twice", fmt.Sprintf(
			"The field %q is already filled at %s; an event's field can be filled once (IntelMQ raises KeyExists). "+
				"Remove one of them, or use coalesce() in one expression.", key, at(first)))
		return
	}
	fs[key] = r
}

// ctyValue converts a constant to a harmonization value.
func ctyValue(v cty.Value) (harmonization.Value, error) {
	if v.IsNull() {
		return harmonization.Value{}, errors.New("null is not a value")
	}
	switch {
	case v.Type() == cty.String:
		return harmonization.String(v.AsString()), nil
	case v.Type() == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			if i, acc := bf.Int64(); acc == 0 {
				return harmonization.Int(i), nil
			}
		}
		f, _ := bf.Float64()
		return harmonization.Float(f), nil
	case v.Type() == cty.Bool:
		return harmonization.Bool(v.True()), nil
	}
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return harmonization.Value{}, err
	}
	return harmonization.RawJSON(string(b)), nil
}

// constant checks a constant for a field: the key, then the value with the
// field's sanitize and validate, as IntelMQ's add would at run time.
func (c *compiler) constant(key string, keyRange hcl.Range, v cty.Value, vr hcl.Range) (plan.Constant, bool) {
	f := c.field(key, keyRange)
	if f == nil {
		return plan.Constant{}, false
	}
	hv, err := ctyValue(v)
	if err != nil {
		c.errorf(vr, "Invalid field value", fmt.Sprintf("The value for %q is not usable: %s.", key, err))
		return plan.Constant{}, false
	}
	sv, err := c.checkValue(f, hv)
	if err != nil {
		c.errorf(vr, "Invalid field value", c.valueDetail(f, hv, err))
		return plan.Constant{}, false
	}
	return plan.Constant{Field: key, Value: sv, Origin: origin(keyRange)}, true
}

// checkValue sanitizes and validates v for f.
func (c *compiler) checkValue(f *harmonization.Field, v harmonization.Value) (harmonization.Value, error) {
	sv, err := f.Sanitize(v)
	if err != nil {
		return sv, err
	}
	if err := f.Validate(sv); err != nil {
		return sv, err
	}
	return sv, nil
}

func (c *compiler) valueDetail(f *harmonization.Field, v harmonization.Value, err error) string {
	en, ok := f.Type.(harmonization.Enumerated)
	if !ok {
		return fmt.Sprintf("The value %s is not a valid %s for %q: %s.", quoteValue(v), f.Type.Name(), f.Key,
			strings.TrimSuffix(reason(err), "."))
	}
	detail := fmt.Sprintf("The value %s is not one of the allowed values of %q (%s).", quoteValue(v), f.Key, f.Type.Name())
	allowed := en.Allowed()
	if s := didyoumean.NameSuggestion(strings.ToLower(v.String()), allowed); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	} else {
		detail += fmt.Sprintf(" The allowed values are: %s.", strings.Join(allowed, ", "))
	}
	return detail
}

// reason returns the error text without the key the harmonization error
// repeats.
func reason(err error) string {
	var ive *harmonization.InvalidValueError
	if errors.As(err, &ive) && ive.Reason != "" {
		return ive.Reason
	}
	return err.Error()
}

func quoteValue(v harmonization.Value) string {
	if v.Kind() == harmonization.KindString {
		return fmt.Sprintf("%q", v.Str())
	}
	return v.String()
}

// Go types of expression results, for acceptsType.
var (
	stringType = reflect.TypeOf("")
	boolType   = reflect.TypeOf(false)
)

// acceptsType reports whether an expression whose static result type is t
// can fill field f: strings fill every text-like type (their sanitize
// parses them), numbers fill numeric and String types, bools fill Boolean,
// anything fills JSON and extra keys. An unknown (interface) type is
// accepted and checked at run time.
func acceptsType(f *harmonization.Field, t reflect.Type) bool {
	if t == nil || t.Kind() == reflect.Interface || f.SubItem {
		return true
	}
	name := f.Type.Name()
	switch name {
	case harmonization.TypeJSON, harmonization.TypeJSONDict:
		return true
	}
	k := t.Kind()
	numeric := k >= reflect.Int && k <= reflect.Float64
	switch name {
	case harmonization.TypeInteger, harmonization.TypeASN, harmonization.TypeFloat, harmonization.TypeAccuracy:
		return numeric || k == reflect.String
	case harmonization.TypeBoolean:
		return k == reflect.Bool || k == reflect.String || numeric
	case harmonization.TypeString:
		return k == reflect.String || numeric
	}
	return k == reflect.String
}

// goTypeName names a reflect type as the language's docs do.
func goTypeName(t reflect.Type) string {
	if t == nil {
		return "nil"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "int"
	case reflect.Float32, reflect.Float64:
		return "float"
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map:
		return "map"
	}
	return t.String()
}
