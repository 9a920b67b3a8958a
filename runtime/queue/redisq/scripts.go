// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import "github.com/redis/go-redis/v9"

// The Lua scripts run atomically in Redis: each is one round trip and no
// other client sees a half-done step. go-redis sends them with EVALSHA and
// falls back to EVAL once per server.

// moveScript moves up to n messages from the right (oldest) end of the
// source to the left of the internal queue, leaving both lists exactly as
// n LMOVE RIGHT LEFT would (IntelMQ's move, repeated), and returns them
// newest first. One script is one round trip and one atomic step: no
// other client sees a message in neither or both lists. Redis does not
// undo a script that fails halfway (a full memory refusing an LPUSH), so
// the copies are pushed before the source is trimmed: such a failure
// leaves messages in both lists (delivered twice), never in neither.
// Redis does about the work of n pipelined LMOVEs (each message passes
// through Lua, which copies it); the client sends one command and reads
// one reply instead of n, which made the whole Redis pipeline a third
// faster.
//
//	KEYS[1] source, KEYS[2] internal
//	ARGV[1] n
//	returns the messages moved, newest first (LRANGE's order)
var moveScript = redis.NewScript(`
local n = tonumber(ARGV[1])
local vals = redis.call('LRANGE', KEYS[1], -n, -1)
local k = #vals
if k == 0 then return vals end
local rev = {}
for i = 1, k do rev[i] = vals[k + 1 - i] end
for i = 1, k, 1000 do
  redis.call('LPUSH', KEYS[2], unpack(rev, i, math.min(i + 999, k)))
end
redis.call('LTRIM', KEYS[1], 0, -k - 1)
return vals
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

// sendLimitedScript pushes the messages unless the queue holds at least
// the limit.
//
//	KEYS[1] queue
//	ARGV[1] limit, ARGV[2..] messages, oldest first
//	returns the queue's length after the push, -1 when it is full
var sendLimitedScript = redis.NewScript(`
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
local n = 0
for i = 2, #ARGV, 1000 do
  n = redis.call('LPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return n
`)
