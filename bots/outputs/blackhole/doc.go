// SPDX-License-Identifier: AGPL-3.0-or-later

// Package blackhole is IntelMQ's blackhole output
// (intelmq.bots.outputs.blackhole.output): it accepts every event and
// discards it. It imports runtime/botapi and stdlib/message only.
package blackhole
