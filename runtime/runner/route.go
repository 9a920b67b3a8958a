// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Router decides where the messages a bot sends go: it maps a path and a
// message to destination queues. It is immutable and shared by the bot's
// goroutines; the round-robin position of load_balance lives in the
// caller's *uint64.
//
// A router built from a plan node (NewPlanRouter) sends a message sent on
// DefaultPath to every switch of the node (fan-out) and, within a switch,
// to the first case whose condition holds: the pipeline's ordered routes.
// Cases of reserved paths other than DefaultPath ("_on_error") are skipped.
// A message sent on any other path goes, in every switch, to the first case
// of that path whose condition holds. A router built from IntelMQ's
// destination_queues (NewPathRouter) sends a message on path P to the
// queues of P only. Within a case the message goes to every queue, or with
// load balancing to one queue in turn.
type Router struct {
	paths       []string // path names, indexed by rcase.path
	queues      []string // destination queues, indexed by rcase.queues
	switches    [][]rcase
	loadBalance bool
	strict      bool // a path takes only its own cases (destination_queues)
}

type rcase struct {
	path   int
	name   string
	when   *vm.Program
	src    string
	origin plan.Origin
	queues []int
}

// NewPlanRouter builds the router of a plan node from its Out switches.
func NewPlanRouter(n *plan.Node, loadBalance bool) *Router {
	r := &Router{loadBalance: loadBalance}
	pathIdx := map[string]int{}
	queueIdx := map[string]int{}
	for _, sw := range n.Out {
		var cs []rcase
		for _, c := range sw.Cases {
			rc := rcase{name: c.Path, path: intern(&r.paths, pathIdx, c.Path)}
			if c.When != nil {
				rc.when, rc.src, rc.origin = c.When.Program, c.When.Source, c.When.Origin
			}
			for _, to := range c.To {
				rc.queues = append(rc.queues, intern(&r.queues, queueIdx, to.Queue()))
			}
			cs = append(cs, rc)
		}
		r.switches = append(r.switches, cs)
	}
	return r
}

// NewPathRouter builds a router from IntelMQ's destination_queues: path →
// queue names, without conditions (one switch per path).
func NewPathRouter(paths map[string][]string, loadBalance bool) *Router {
	r := &Router{loadBalance: loadBalance, strict: true}
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	pathIdx := map[string]int{}
	queueIdx := map[string]int{}
	for _, p := range names {
		rc := rcase{name: p, path: intern(&r.paths, pathIdx, p)}
		for _, q := range paths[p] {
			rc.queues = append(rc.queues, intern(&r.queues, queueIdx, q))
		}
		r.switches = append(r.switches, []rcase{rc})
	}
	return r
}

func intern(list *[]string, idx map[string]int, s string) int {
	if i, ok := idx[s]; ok {
		return i
	}
	idx[s] = len(*list)
	*list = append(*list, s)
	return idx[s]
}

// Paths returns the router's path names; statistics are indexed alike.
func (r *Router) Paths() []string { return r.paths }

// Queues returns the destination queue names, indexed as Route's.
func (r *Router) Queues() []string { return r.queues }

// Routed reports whether a send on path can reach a case.
func (r *Router) Routed(path string) bool {
	for _, cs := range r.switches {
		for _, c := range cs {
			if r.takes(c.name, path) {
				return true
			}
		}
	}
	return false
}

// takes reports whether a case of path name is a candidate for a send on
// path: its own path, and for the default path of a plan router every
// path but the reserved "_" ones.
func (r *Router) takes(name, path string) bool {
	if name == path {
		return true
	}
	return !r.strict && path == botapi.DefaultPath && !strings.HasPrefix(name, "_")
}

// Route calls emit for each case the message sent on path takes, with the
// case's path index and the queues to send to. It returns an error
// wrapping botapi.ErrUnknownPath when no case has that path (nothing when
// the path is ErrorPath), or the error of a condition that failed to run.
func (r *Router) Route(path string, m *message.Message, rr *uint64, emit func(path int, queues []int)) error {
	var env map[string]any
	known := false
	for _, cs := range r.switches {
		for i := range cs {
			c := &cs[i]
			if !r.takes(c.name, path) {
				continue
			}
			known = true
			if c.when != nil {
				if env == nil {
					env = ConditionEnv(m)
				}
				ok, err := evalBool(c, env)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
			}
			qs := c.queues
			if r.loadBalance && len(qs) > 1 {
				k := *rr % uint64(len(qs))
				*rr++
				qs = qs[k : k+1]
			}
			emit(c.path, qs)
			break
		}
	}
	if !known && path != botapi.ErrorPath {
		return fmt.Errorf("%w: nothing is routed on path %q", botapi.ErrUnknownPath, path)
	}
	return nil
}

func evalBool(c *rcase, env map[string]any) (bool, error) {
	out, err := expr.Run(c.when, env)
	if err != nil {
		return false, fmt.Errorf("route condition %q of path %q (%s): %w", c.src, c.name, c.origin, err)
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("route condition %q of path %q (%s) gave %T, not a boolean", c.src, c.name, c.origin, out)
	}
	return b, nil
}

// ConditionEnv builds the environment a route condition runs in (see the
// plan package): every field split at its dots into nested maps, and
// "event" holding the flat keys.
func ConditionEnv(m *message.Message) map[string]any {
	flat := make(map[string]any, m.Len())
	env := map[string]any{"event": flat}
	m.Range(func(key string, v harmonization.Value) bool {
		val := v.Any()
		flat[key] = val
		parts := strings.Split(key, ".")
		cur := env
		for _, p := range parts[:len(parts)-1] {
			next, ok := cur[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[p] = next
			}
			cur = next
		}
		cur[parts[len(parts)-1]] = val
		return true
	})
	return env
}
