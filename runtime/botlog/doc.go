// SPDX-License-Identifier: AGPL-3.0-or-later

// Package botlog writes and reads log lines in IntelMQ's format:
//
//	2024-01-01 12:00:00,123 - file-collector - INFO - Bot is starting.
//
// Handler is a slog.Handler that formats records this way (a multi-line
// traceback follows the line, as Python's logging prints it), and
// Parse/Read turn such lines back into entries for "intelmq log" and the
// bot test harness.
//
// botlog imports only the standard library. It must not
// import lang, compiler or hashicorp/hcl.
package botlog
