// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

// The names of IntelMQ's parser-wide parameters, which every parser bot
// block may set besides the parameters its Spec declares. The runner
// applies them (runner.ParserBotOptions); a Parser never sees them.
const (
	ParamDefaultFields               = "default_fields"
	ParamCopyCollectorProvidedFields = "copy_collector_provided_fields"
)

// ParserParams returns the declarations of IntelMQ's parser-wide
// parameters, accepted in the block of every bot of KindParser.
func ParserParams() []Param {
	return []Param{
		{Name: ParamDefaultFields, Type: TypeStringMap,
			Doc: "Fields added to every event where the parser did not set them, e.g. { \"classification.type\" = \"malware\" }."},
		{Name: ParamCopyCollectorProvidedFields, Type: TypeStringList,
			Doc: "Report keys copied into every event when the report has them, e.g. [\"extra.file_name\"]."},
	}
}

// ParserParam returns the parser-wide parameter named name, or nil.
func ParserParam(name string) *Param {
	for _, p := range ParserParams() {
		if p.Name == name {
			return &p
		}
	}
	return nil
}
