// SPDX-License-Identifier: AGPL-3.0-or-later

package rt

import (
	"strings"
	"time"
)

// searchParams are the search_* parameters.
type searchParams struct {
	Owner, Queue, Requestor, Status string
	SubjectLike, SubjectNotLike     string
}

// buildQuery returns the TicketSQL query IntelMQ's collector makes the rt
// library send: each condition in parentheses, joined with AND, the queue
// first, then the creation limit, owner, requestor, status and subject.
// Empty parameters add no condition; since, when not zero, is sent in UTC.
func buildQuery(p searchParams, since time.Time) string {
	var parts []string
	add := func(field, op, value string) {
		if value != "" {
			parts = append(parts, "("+field+op+quote(value)+")")
		}
	}
	add("Queue", "=", p.Queue)
	if !since.IsZero() {
		add("Created", ">", since.UTC().Format("2006-01-02 15:04:05"))
	}
	add("Owner", "=", p.Owner)
	add("Requestor", "=", p.Requestor)
	add("Status", "=", p.Status)
	add("Subject", " LIKE ", p.SubjectLike)
	add("Subject", " NOT LIKE ", p.SubjectNotLike)
	return strings.Join(parts, " AND ")
}

// quote writes a TicketSQL string literal: single quotes, with quotes
// and backslashes in the value escaped.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
