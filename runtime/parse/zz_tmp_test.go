// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

func BenchmarkZZOp(b *testing.B) {
	report := newReport(b, "x", feodoReportFields)
	tmpl := message.EventFromReport(report, nil)
	ops := []struct {
		name string
		op   func(ev *message.Message)
	}{
		{"1clone", func(ev *message.Message) {}},
		{"2time.source", func(ev *message.Message) { ev.Add("time.source", harmonization.String("2021-01-17 07:44:46 UTC")) }},
		{"3source.ip", func(ev *message.Message) { ev.Add("source.ip", harmonization.String("51.178.161.32")) }},
		{"4source.port", func(ev *message.Message) { ev.Add("source.port", harmonization.Int(4643)) }},
		{"5malware", func(ev *message.Message) { ev.Add("malware.name", harmonization.String("dridex")) }},
		{"6extra", func(ev *message.Message) { ev.Add("extra.status", harmonization.String("online")) }},
		{"7raw", func(ev *message.Message) {
			message.SetRawText(ev, "2021-01-17 07:44:46,51.178.161.32,4643,online,2024-01-01,Dridex")
		}},
	}
	for _, o := range ops {
		b.Run(o.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				for i := 0; i < 1000; i++ {
					o.op(tmpl.Clone())
				}
			}
			reportMetrics(b, 1000, cpu0)
		})
	}
}
