local dead = redis.call('XRANGE', KEYS[3], ARGV[1], ARGV[1])
if not dead[1] then return {0} end
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('ZCOUNT', KEYS[2], now, '+inf') == 0 then return {-1} end
local codec, payload
local f = dead[1][2]
for i = 1, #f, 2 do
  if f[i] == 'codec' and not codec then codec = f[i + 1] end
  if f[i] == 'payload' and not payload then payload = f[i + 1] end
end
if not codec or not payload then return {-2} end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'codec', codec, 'payload', payload, 't', now)
redis.call('XDEL', KEYS[3], ARGV[1])
return {1, id}
