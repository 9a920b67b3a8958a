package message

import (
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestZZCPU(t *testing.T) {
	for _, bm := range []struct {
		name string
		f    func(*testing.B)
	}{{"build", BenchmarkBuildEvent}, {"decode", BenchmarkDecodeValidateEncode}, {"fresh", BenchmarkDecodeFresh}, {"hash", BenchmarkHash}, {"json", BenchmarkAppendJSON}} {
		var cpu time.Duration
		var n int
		r := testing.Benchmark(func(b *testing.B) {
			c0 := cpuNow()
			bm.f(b)
			cpu = cpuNow() - c0
			n = b.N
		})
		t.Logf("%s: %v wall/op, %v cpu/op, %d allocs/op", bm.name, time.Duration(r.NsPerOp()), cpu/time.Duration(n), r.AllocsPerOp())
	}
}
