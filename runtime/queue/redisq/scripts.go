// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import "github.com/redis/go-redis/v9"

// The Lua scripts run atomically in Redis: each is one round trip and no
// other client sees a half-done step. go-redis sends them with EVALSHA and
// falls back to EVAL once per server. Message contents never pass through
// Lua on the receiving side (Lua copies and hashes every string it sees):
// Receive uses plain pipelined LMOVE and LRANGE.

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
//	returns 1 when pushed, 0 when the queue is full
var sendLimitedScript = redis.NewScript(`
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
for i = 2, #ARGV, 1000 do
  redis.call('LPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return 1
`)
