/**
 * Lua scripts, run with EVALSHA (ioredis `defineCommand` loads them once per connection and
 * falls back to EVAL): each is one round trip and atomic on the server.
 */

/**
 * The request of `apiKey({ store })` in one round trip. KEYS[1] is the record; then `n` pairs
 * (current, previous window) of failure counters; then, when counting, the usage pair.
 * ARGV: n, failures, counted ('1'/'0'), weight of the previous failure window, usage TTL (ms),
 * count a miss ('1'/'0'), failure-counter TTL (ms).
 * When a failure estimate reaches `failures` the request is throttled: the record is not read
 * and nothing is counted. When there is no record and a miss is counted, each failure counter
 * is incremented in the same script (third element 'miss'), so parallel guesses see each other. Returns { record or '', failure counts (flat), usage current, previous }.
 */
export const LOOKUP = `
local n = tonumber(ARGV[1])
local failures = tonumber(ARGV[2])
local weight = tonumber(ARGV[4])
local counts = {}
local blocked = false
for i = 1, n do
  local current = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local previous = tonumber(redis.call('GET', KEYS[2 * i + 1]) or '0')
  counts[2 * i - 1] = current
  counts[2 * i] = previous
  -- Rounded up, as in the core: part of a failure carried over from the previous window is a whole one.
  if current + previous * weight > failures - 1 + 1e-9 then blocked = true end
end
if blocked then return { '', counts } end
local record = redis.call('GET', KEYS[1])
if not record then
  if ARGV[6] == '1' then
    for i = 1, n do
      local current = redis.call('INCR', KEYS[2 * i])
      if current == 1 then redis.call('PEXPIRE', KEYS[2 * i], ARGV[7]) end
    end
    return { '', counts, 'miss' }
  end
  return { '', counts }
end
if ARGV[3] == '1' then
  local used = redis.call('INCR', KEYS[2 * n + 2])
  if used == 1 then redis.call('PEXPIRE', KEYS[2 * n + 2], ARGV[5]) end
  local before = tonumber(redis.call('GET', KEYS[2 * n + 3]) or '0')
  return { record, counts, used, before }
end
return { record, counts }
`

/**
 * Add one to counters: KEYS are pairs (current, previous window), ARGV[1] the TTL (ms) of a
 * new current window (two windows: it is read as the previous one during the next).
 * Returns the counts (current after the increment, previous), flat.
 */
export const HIT = `
local counts = {}
for i = 1, #KEYS, 2 do
  local current = redis.call('INCR', KEYS[i])
  if current == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
  counts[#counts + 1] = current
  counts[#counts + 1] = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
end
return counts
`

/**
 * Take back one hit: KEYS are the current windows of counters; each is decremented when above
 * zero (an attempt reserved by throttled() whose credential was good).
 */
export const RELEASE = `
for i = 1, #KEYS do
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  if current > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`

/**
 * Compare-and-set of one record: KEYS[1] the record; ARGV[1] the text it was read as ('' when
 * absent), ARGV[2] the text to write, ARGV[3] its expiry (Unix ms, PXAT) or '0' for none.
 * Writes only when the record is still what was read; returns 1 when written, 0 on a conflict
 * (the caller reads again). This is what makes rotate and revoke unable to lose each other.
 */
export const SWAP = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[3] ~= '0' then redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
`
