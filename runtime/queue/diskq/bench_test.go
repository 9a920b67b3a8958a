// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq_test

import (
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/diskq"
	"github.com/intelmq-go/intelmq/runtime/queue/queuetest"
)

func BenchmarkSendReceiveAck(b *testing.B) {
	queuetest.Bench(b, func(b *testing.B) queue.Broker {
		br, err := diskq.Open(b.TempDir(), queue.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return br
	})
}

func BenchmarkParallelBots(b *testing.B) {
	queuetest.BenchParallel(b, func(b *testing.B) queue.Broker {
		br, err := diskq.Open(b.TempDir(), queue.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return br
	})
}
