// SPDX-License-Identifier: AGPL-3.0-or-later

package streamloop

import (
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// The parameters of Params.
const (
	ParamInterval    = "interval"
	ParamRetries     = "retries"
	ParamMaxDuration = "max_duration"
	ParamMaxReports  = "max_reports"
)

// Defaults of Params.
const (
	DefaultInterval = 10 * time.Second
	DefaultRetries  = int64(3)
)

// Params declares the parameters every stream collector has: the runner's
// interval between collections, and the limits ReadConfig reads.
func Params() []botapi.Param {
	return []botapi.Param{
		{Name: ParamInterval, Type: botapi.TypeDuration, Default: DefaultInterval,
			Doc: "The time between the end of a stream (the server ended it, or a limit was reached) and the next connection (IntelMQ waits its rate_limit)."},
		{Name: ParamRetries, Type: botapi.TypeInt, Default: DefaultRetries,
			Doc: "How many consecutive failures (a broken connection, a timeout, a refusal worth retrying) are retried within a collection, waiting 1s, 2s, 4s... up to a minute; a message received resets the count."},
		{Name: ParamMaxDuration, Type: botapi.TypeDuration, Default: time.Duration(0),
			Doc: "End a collection after this long, e.g. \"10m\"; 0 reads until the bot stops or the server ends the stream. With \"intelmq run --once\" it bounds the run."},
		{Name: ParamMaxReports, Type: botapi.TypeInt, Default: int64(0),
			Doc: "End a collection after this many reports; 0 means no limit. With \"intelmq run --once\" it takes a sample of the stream."},
	}
}

// ReadConfig reads the limits Params declares.
func ReadConfig(p botapi.Params) Config {
	return Config{
		Retries:     int(p.Int(ParamRetries)),
		MaxDuration: p.Duration(ParamMaxDuration),
		MaxReports:  p.Int(ParamMaxReports),
	}
}

// Check reports a negative limit as a *botapi.ParamError.
func (c Config) Check() error {
	switch {
	case c.Retries < 0:
		return botapi.ParamErrorf(ParamRetries, "must not be negative, got %d", c.Retries)
	case c.MaxReports < 0:
		return botapi.ParamErrorf(ParamMaxReports, "must not be negative, got %d", c.MaxReports)
	}
	return nil
}
