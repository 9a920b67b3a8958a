// SPDX-License-Identifier: AGPL-3.0-or-later

package memq_test

import (
	"testing"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/memq"
	"github.com/intelmq-go/intelmq/runtime/queue/queuetest"
)

func factory() queuetest.Factory {
	return queuetest.Factory{
		Storage: func(t *testing.T) queuetest.Opener {
			return func(opts queue.Options) (queue.Broker, error) { return memq.New(opts) }
		},
	}
}

func TestConformance(t *testing.T) {
	queuetest.Run(t, factory())
}

func TestNegativeLimitRejected(t *testing.T) {
	if _, err := memq.New(queue.Options{MaxLen: -1}); err == nil {
		t.Fatal("New accepted a negative MaxLen")
	}
}
