// SPDX-License-Identifier: AGPL-3.0-or-later

package plan

// Pipeline is a declared pipeline: feeds, a chain of experts, and ordered
// routes to outputs.
type Pipeline struct {
	Name    string
	Feeds   []*Feed
	Experts []*Bot // in chain order
	Routes  []*Route
	Origin  Origin
}

// Route is one rule of a pipeline's routing, evaluated in order; the first
// route whose When holds takes the event.
type Route struct {
	// Name is the IntelMQ path name the route compiles to: its label, or
	// "route-N" (1-based) when it has none, or "_default" for an
	// unconditional last route without a label.
	Name string
	// When is the bool condition; nil means the route takes every event.
	When *Expr
	// To are the destinations; empty with Drop set.
	To []*Node
	// Drop discards the events the route takes.
	Drop   bool
	Origin Origin
}

// Node is one bot instance of the running graph, the unit IntelMQ calls a
// bot: it has an ID, the queues "<ID>-queue" and "<ID>-queue-internal", and
// sends to other nodes over named paths.
type Node struct {
	// ID is the IntelMQ bot id: "<feed>-collector", "<feed>-parser",
	// "<pipeline>-<expert>" for experts, "<output>" for outputs,
	// "<pipeline>-router" for routers.
	ID   string
	Kind BotKind
	// Feed is set for collector and parser nodes.
	Feed *Feed
	// Bot is set for collector, expert and output nodes (the collector's is
	// Feed.Collector), and for the parser node of a feed read by a Go
	// parser bot (Feed.ParserBot).
	Bot *Bot
	// Pipeline is the pipeline an expert or router node belongs to; nil for
	// feed nodes and outputs, which may serve several pipelines.
	Pipeline *Pipeline
	// Out lists where the node sends what it emits. The node sends each
	// message to every Switch (fan-out); within a Switch the first Case
	// whose When holds takes it.
	Out    []*Switch
	Origin Origin
}

// Switch is an ordered choice of paths for a node's output.
type Switch struct {
	Cases []*Case
}

// Case is one named path of a node (IntelMQ's destination_queues key) with
// its optional condition.
type Case struct {
	// Path is the IntelMQ path name: "_default" or the route's name.
	Path string
	// When is nil for an unconditional case.
	When *Expr
	// To are the destination nodes; empty means the message is dropped.
	To     []*Node
	Origin Origin
}

// Queue returns the name of the node's source queue, as IntelMQ names it.
func (n *Node) Queue() string { return n.ID + "-queue" }

// InternalQueue returns the name of the node's internal queue.
func (n *Node) InternalQueue() string { return n.ID + "-queue-internal" }

// Paths returns the node's path names with their destination nodes in
// IntelMQ's destination_queues form: path → queue names.
func (n *Node) Paths() map[string][]string {
	out := map[string][]string{}
	for _, sw := range n.Out {
		for _, c := range sw.Cases {
			qs := out[c.Path]
			for _, to := range c.To {
				qs = append(qs, to.Queue())
			}
			out[c.Path] = qs
		}
	}
	return out
}
