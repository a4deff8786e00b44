/**
 * Sliding-window counter (two fixed windows, the previous one weighted by how much of it still
 * overlaps the sliding window), checked and incremented in ONE atomic script for a whole batch of
 * requests, so concurrent requests on any number of gateway replicas cannot both take the last
 * slot. Time is Redis's own (TIME), so replicas with skewed clocks still share one window.
 *
 * Each key is a hash of `window index → count`; only the current and previous windows are kept.
 * Requests are decided one after the other, in batch order, exactly as if each had run a script of
 * its own: a request is admitted only when every one of its keys has room, and then counted
 * against each of them before the next request is decided. Every key is read once per batch and
 * written once at its end.
 *
 * KEYS: the distinct keys of the batch.
 * ARGV: limit and windowMs of each key (2 × #KEYS values), then per request: the number n of its
 *       keys followed by their n indexes (1-based) into KEYS.
 * Returns 5 integers per request: admitted (0|1), index of its tightest key among its own (0-based),
 * that key's remaining, its resetMs, and retryAfterMs.
 */
export const SLIDING_WINDOW_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit, window, current, elapsed, cur, prev, added = {}, {}, {}, {}, {}, {}, {}
for k = 1, #KEYS do
  local w = tonumber(ARGV[2 * k])
  local c = math.floor(now / w)
  local values = redis.call('HMGET', KEYS[k], tostring(c), tostring(c - 1))
  limit[k], window[k], current[k], elapsed[k] = tonumber(ARGV[2 * k - 1]), w, c, now - c * w
  cur[k], prev[k], added[k] = tonumber(values[1]) or 0, tonumber(values[2]) or 0, 0
end
local out = {}
local i = 2 * #KEYS + 1
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  local admitted, tightest, tightestRemaining, tightestReset, retryAfter = 1, 0, nil, 0, 0
  for j = 1, n do
    local k = tonumber(ARGV[i + j])
    local l, w, e, c, p = limit[k], window[k], elapsed[k], cur[k] + added[k], prev[k]
    local estimate = p * (w - e) / w + c
    local remaining = math.floor(l - estimate - 1)
    if estimate + 1 > l then
      admitted = 0
      local wait
      if c + 1 > l then
        wait = (w - e) + math.max(0, w * (1 - (l - 1) / c))
      else
        wait = math.max(0, w * (1 - (l - c - 1) / p) - e)
      end
      if wait > retryAfter then retryAfter = wait end
      remaining = 0
    end
    if tightestRemaining == nil or remaining < tightestRemaining then
      tightest, tightestRemaining, tightestReset = j - 1, remaining, w - e
    end
  end
  if admitted == 1 then
    for j = 1, n do
      local k = tonumber(ARGV[i + j])
      added[k] = added[k] + 1
    end
  end
  local o = #out
  out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5] = admitted, tightest, tightestRemaining, math.ceil(tightestReset), math.ceil(retryAfter)
  i = i + n + 1
end
for k = 1, #KEYS do
  if added[k] > 0 then
    redis.call('HINCRBY', KEYS[k], tostring(current[k]), added[k])
    redis.call('HDEL', KEYS[k], tostring(current[k] - 2))
    redis.call('PEXPIRE', KEYS[k], window[k] * 2)
  end
end
return out
`;
