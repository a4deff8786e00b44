/**
 * Sliding-window counter (two fixed windows, the previous one weighted by how much of it still
 * overlaps the sliding window), checked and incremented for several keys in ONE atomic script so
 * concurrent requests on any number of gateway replicas cannot both take the last slot. Time is
 * Redis's own (TIME), so replicas with skewed clocks still share one window.
 *
 * Each key is a hash of `window index → count`; only the current and previous windows are kept.
 * A request is admitted only when every key has room, and then counted against every key.
 *
 * KEYS: one per limit. ARGV: limit₁, windowMs₁, limit₂, windowMs₂, ...
 * Returns: { admitted (0|1), index of the tightest key, its remaining, its resetMs, retryAfterMs }.
 */
export const SLIDING_WINDOW_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local admitted = 1
local tightest, tightestRemaining, tightestReset, retryAfter = 1, nil, 0, 0
local counts = {}
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local current = math.floor(now / window)
  local elapsed = now - current * window
  local values = redis.call('HMGET', KEYS[i], tostring(current), tostring(current - 1))
  local cur = tonumber(values[1]) or 0
  local prev = tonumber(values[2]) or 0
  local estimate = prev * (window - elapsed) / window + cur
  counts[i] = { current, window }
  local remaining = math.floor(limit - estimate - 1)
  if estimate + 1 > limit then
    admitted = 0
    local wait
    if cur + 1 > limit then
      wait = (window - elapsed) + math.max(0, window * (1 - (limit - 1) / cur))
    else
      wait = math.max(0, window * (1 - (limit - cur - 1) / prev) - elapsed)
    end
    if wait > retryAfter then retryAfter = wait end
    remaining = 0
  end
  if tightestRemaining == nil or remaining < tightestRemaining then
    tightest, tightestRemaining, tightestReset = i, remaining, window - elapsed
  end
end
if admitted == 1 then
  for i = 1, #KEYS do
    local current, window = counts[i][1], counts[i][2]
    redis.call('HINCRBY', KEYS[i], tostring(current), 1)
    redis.call('HDEL', KEYS[i], tostring(current - 2))
    redis.call('PEXPIRE', KEYS[i], window * 2)
  end
end
return { admitted, tightest - 1, tightestRemaining, math.ceil(tightestReset), math.ceil(retryAfter) }
`;
