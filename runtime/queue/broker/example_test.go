// SPDX-License-Identifier: AGPL-3.0-or-later

package broker_test

import (
	"context"
	"fmt"

	"github.com/intelmq-go/intelmq/runtime/queue"
	"github.com/intelmq-go/intelmq/runtime/queue/broker"
)

// Example shows one iteration of a bot's loop: receive a batch from the
// source queue, send the results on, and only then acknowledge.
func Example() {
	ctx := context.Background()
	b, err := broker.Open("memory://", queue.Options{})
	if err != nil {
		panic(err)
	}
	defer b.Close()

	// A collector delivers two reports to the parser's queue.
	_ = b.Send(ctx, "parser-queue", []byte(`{"raw": "YQ==", "__type": "Report"}`), []byte(`{"raw": "Yg==", "__type": "Report"}`))

	c, err := b.Consumer("parser-queue", queue.InternalName("parser-queue"))
	if err != nil {
		panic(err)
	}
	defer c.Close()
	batch, err := c.Receive(ctx, 100)
	if err != nil {
		panic(err)
	}
	var out [][]byte
	for _, m := range batch.Messages() {
		out = append(out, append([]byte("parsed "), m...))
	}
	if err := b.Send(ctx, "expert-queue", out...); err != nil {
		_ = batch.Nack(ctx) // retry later
		return
	}
	_ = batch.Ack(ctx)

	for _, q := range []string{"parser-queue", "parser-queue-internal", "expert-queue"} {
		n, _ := b.Len(ctx, q)
		fmt.Println(q, n)
	}
	// Output:
	// parser-queue 0
	// parser-queue-internal 0
	// expert-queue 2
}
