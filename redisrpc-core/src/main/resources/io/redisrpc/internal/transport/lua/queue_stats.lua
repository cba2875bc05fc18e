local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('EXISTS', KEYS[1]) == 0 then return {now, 0, 0, 0, -1, -1} end
local length = redis.call('XLEN', KEYS[1])
local running, last, lag = 0, '0-0', false
local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', KEYS[1])
if ok then
  for _, g in ipairs(groups) do
    local f = {}
    for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
    if f['name'] == ARGV[1] then
      running = f['pending']
      last = f['last-delivered-id']
      lag = f['lag']
    end
  end
end
local waiting = length - running
if type(lag) == 'number' then waiting = lag end
if waiting < 0 then waiting = 0 end
local function age(id)
  local a = now - tonumber(string.match(id, '^(%d+)'))
  if a < 0 then return 0 end
  return a
end
local oldestWaiting = -1
local first = redis.call('XRANGE', KEYS[1], '(' .. last, '+', 'COUNT', 1)
if first[1] then oldestWaiting = age(first[1][1]) end
local oldestRunning = -1
if running > 0 then
  local p = redis.call('XPENDING', KEYS[1], ARGV[1])
  if p[2] then oldestRunning = age(p[2]) end
end
return {now, length, waiting, running, oldestWaiting, oldestRunning}
