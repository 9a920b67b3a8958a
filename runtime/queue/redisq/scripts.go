// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import "github.com/redis/go-redis/v9"

// The Lua scripts run atomically in Redis: each is one round trip and no
// other client sees a half-done step. go-redis sends them with EVALSHA and
// falls back to EVAL once per server.

// takeScript takes the whole source when the internal queue is empty:
// RENAME makes the source list the internal queue in constant time, so
// Redis copies no message (moving them through Lua, LRANGE then LPUSH,
// cost Redis about 1 µs per message; RENAME and the later LRANGE about
// 0.2 µs); the lists are left as that many LMOVE RIGHT LEFT, one at a
// time, would leave them. The consumer then reads and acknowledges it in
// batches from its right end, exactly as it re-delivers leftovers; its
// first read is an LRANGE sent with the script, in the same round trip
// (returning the messages from the script would pass each through Lua's
// strings: four times the processor time in Redis). Producers meanwhile
// push to a new source list. When the internal queue is not empty
// (something else wrote to it) it moves the oldest n messages and returns
// them: the copies are pushed before the source is trimmed, so a failure
// halfway (a full memory refusing the LPUSH; Redis does not undo a
// script) leaves messages in both lists, never in neither.
//
//	KEYS[1] source, KEYS[2] internal
//	ARGV[1] n
//	returns {the number of messages added to the internal queue,
//	1 after a RENAME else 0, the messages moved otherwise, newest first
//	(LRANGE's order)}
var takeScript = redis.NewScript(`
local n = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0, {}} end
  redis.call('RENAME', KEYS[1], KEYS[2])
  return {redis.call('LLEN', KEYS[2]), 1, {}}
end
local vals = redis.call('LRANGE', KEYS[1], -n, -1)
local k = #vals
if k == 0 then return {0, 0, vals} end
local rev = {}
for i = 1, k do rev[i] = vals[k + 1 - i] end
for i = 1, k, 1000 do
  redis.call('LPUSH', KEYS[2], unpack(rev, i, math.min(i + 999, k)))
end
redis.call('LTRIM', KEYS[1], 0, -k - 1)
return {k, 0, vals}
`)

// ackScript removes a batch of n messages from the right (oldest) end of
// the internal queue, provided the queue still has the length it had when
// the batch was delivered; a repeat after a lost reply is a no-op.
//
//	KEYS[1] internal
//	ARGV[1] n, ARGV[2] the length of the internal queue at delivery
//	returns the length of the internal queue afterwards
var ackScript = redis.NewScript(`
local n = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
local len = redis.call('LLEN', KEYS[1])
if len == want then
  redis.call('LTRIM', KEYS[1], 0, -n - 1)
  return len - n
end
if len == want - n or len == 0 then return len end
return redis.error_reply('internal queue ' .. KEYS[1] .. ' holds ' .. len ..
  ' messages, expected ' .. want .. '; is another consumer using it?')
`)

// nackScript moves the whole internal queue to the right (read) end of the
// source, keeping the order.
//
//	KEYS[1] internal, KEYS[2] source
//	returns the number of messages moved
var nackScript = redis.NewScript(`
local n = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do n = n + 1 end
return n
`)
