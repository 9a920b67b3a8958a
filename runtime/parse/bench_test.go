// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/stdlib/message"
)

// feodoLines is the size of the generated Feodo Tracker list.
const feodoLines = 100_000

// feodoCSV generates n lines like abuse.ch's Feodo Tracker ipblocklist.csv
// (first_seen,dst_ip,dst_port,c2_status,last_online,malware) after its
// comment header, deterministically.
func feodoCSV(n int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	malware := []string{"Dridex", "Emotet", "TrickBot", "QakBot", "BazarLoader", "Pikabot"}
	ports := []int{443, 447, 449, 8080, 2222, 995, 4643}
	var b strings.Builder
	b.WriteString("################################################################\n" +
		"# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)            #\n" +
		"################################################################\n" +
		"#\n# \"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"\n")
	for i := 0; i < n; i++ {
		status, last := "offline", ""
		if rng.IntN(4) == 0 {
			status, last = "online", fmt.Sprintf("2024-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))
		}
		fmt.Fprintf(&b, "%d-%02d-%02d %02d:%02d:%02d,%d.%d.%d.%d,%d,%s,%s,%s\n",
			2019+rng.IntN(6), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60),
			1+rng.IntN(223), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254),
			ports[rng.IntN(len(ports))], status, last, malware[rng.IntN(len(malware))])
	}
	return b.String()
}

// reportMetrics adds the per-event figures of a benchmark that handles
// events events per iteration and started measuring CPU time at cpu0:
// wall-clock events/s and ns/event, and the same from the process's CPU
// time (cpu-events/s, cpu-ns/event), which a busy shared machine distorts
// less. The CPU time includes the garbage collector's work on other cores.
func reportMetrics(b *testing.B, events int, cpu0 time.Duration) {
	b.Helper()
	perEvent := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(events)
	b.ReportMetric(1e9/perEvent, "events/s")
	b.ReportMetric(perEvent, "ns/event")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		cpuPerEvent := float64(cpu.Nanoseconds()) / float64(b.N) / float64(events)
		b.ReportMetric(1e9/cpuPerEvent, "cpu-events/s")
		b.ReportMetric(cpuPerEvent, "cpu-ns/event")
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkFeodoEncodingCSV is the base of the ratio: encoding/csv alone
// (ReuseRecord) reading the same bytes the parser benchmarks read.
func BenchmarkFeodoEncodingCSV(b *testing.B) {
	data := []byte(feodoCSV(feodoLines))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if n := readCSV(b, data); n != feodoLines {
			b.Fatalf("%d records", n)
		}
	}
	reportMetrics(b, feodoLines, cpu0)
}

// BenchmarkFeodoCSVReader is this package's CSV reader alone.
func BenchmarkFeodoCSVReader(b *testing.B) {
	text := feodoCSV(feodoLines)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		r, _ := NewCSVReader(text, CSVOptions{Comments: []string{"#"}})
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			n++
		}
		if n != feodoLines {
			b.Fatalf("%d records", n)
		}
	}
	reportMetrics(b, feodoLines, cpu0)
}

// BenchmarkFeodoParse is the figure: parse + map + sanitize of the
// whole report into events (set classification.type; map time.source,
// source.ip, source.port, malware.name, extra.status), raw included, with
// the events lent to emit as the bot runner has them (RunLent).
func BenchmarkFeodoParse(b *testing.B) {
	benchmarkFeodoParse(b, (*Executor).RunLent)
}

// BenchmarkFeodoParseOwned is BenchmarkFeodoParse with a new message per
// event that emit owns (Run), as the parse command and the tests have them.
func BenchmarkFeodoParseOwned(b *testing.B) {
	benchmarkFeodoParse(b, (*Executor).Run)
}

// feodoSetup returns the generated list, its report and an executor of
// the Feodo parser.
func feodoSetup(b *testing.B) (string, *message.Message, *Executor) {
	text := feodoCSV(feodoLines)
	x, err := New(feodoParser(b))
	if err != nil {
		b.Fatal(err)
	}
	return text, newReport(b, text, feodoReportFields), x
}

// readCSV reads data with encoding/csv as the ratio's base does
// (ReuseRecord, '#' comments) and returns the number of records.
func readCSV(b *testing.B, data []byte) int {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord, r.Comment, r.FieldsPerRecord = true, '#', -1
	n := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

func benchmarkFeodoParse(b *testing.B, run func(*Executor, context.Context, *message.Message,
	func(*message.Message) error, func(BadRecord)) (Stats, error)) {
	text, report, x := feodoSetup(b)
	ctx := context.Background()
	emit := func(*message.Message) error { return nil }
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		st, err := run(x, ctx, report, emit, func(bad BadRecord) { b.Fatalf("bad record: %v", bad.Err) })
		if err != nil || st.Events != feodoLines {
			b.Fatalf("%+v, %v", st, err)
		}
	}
	reportMetrics(b, feodoLines, cpu0)
}

// BenchmarkFeodoRatio is the ratio measured in one loop: each
// iteration reads the generated list with encoding/csv (ReuseRecord, as
// BenchmarkFeodoEncodingCSV) and parses it as BenchmarkFeodoParse does,
// alternately, so that both see the same load of a shared machine; it
// reports the parser's rate as a percentage of encoding/csv's
// (parse-%-of-csv) and both rates.
func BenchmarkFeodoRatio(b *testing.B) {
	text, report, x := feodoSetup(b)
	data := []byte(text)
	ctx := context.Background()
	emit := func(*message.Message) error { return nil }
	var csvTime, parseTime time.Duration
	for b.Loop() {
		start := time.Now()
		n := readCSV(b, data)
		mid := time.Now()
		st, err := x.RunLent(ctx, report, emit, func(bad BadRecord) { b.Fatalf("bad record: %v", bad.Err) })
		end := time.Now()
		if err != nil || st.Events != feodoLines || n != feodoLines {
			b.Fatalf("%+v, %v, %d records", st, err, n)
		}
		csvTime += mid.Sub(start)
		parseTime += end.Sub(mid)
	}
	events := float64(b.N) * feodoLines
	b.ReportMetric(100*csvTime.Seconds()/parseTime.Seconds(), "parse-%-of-csv")
	b.ReportMetric(events/parseTime.Seconds(), "parse-events/s")
	b.ReportMetric(events/csvTime.Seconds(), "csv-events/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkFeodoPeakHeap measures the peak live heap of parsing the
// generated report, for the closing figures: it samples the heap after a
// forced collection every 10,000 events (so its time is meaningless) and
// reports the peak against the CSV and the report's wire size. The report
// stays referenced, as the bot runner keeps it until it is acknowledged.
func BenchmarkFeodoPeakHeap(b *testing.B) {
	text := feodoCSV(feodoLines)
	csvSize := len(text)
	report := newReport(b, text, feodoReportFields)
	wire := len(report.AppendWire(nil))
	text = ""
	x, err := New(feodoParser(b))
	if err != nil {
		b.Fatal(err)
	}
	var ms runtime.MemStats
	var peak uint64
	for b.Loop() {
		n := 0
		st, err := x.RunLent(context.Background(), report, func(*message.Message) error {
			if n++; n%10_000 == 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			return nil
		}, nil)
		if err != nil || st.Events != feodoLines {
			b.Fatalf("%+v, %v", st, err)
		}
	}
	runtime.KeepAlive(report)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(csvSize)/1e6, "csv-MB")
	b.ReportMetric(float64(wire)/1e6, "report-MB")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(peak)/float64(csvSize), "peak/csv")
	b.ReportMetric(float64(peak)/float64(wire), "peak/report")
}
