local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('ZCOUNT', KEYS[2], now, '+inf') == 0 then return false end
if not ARGV[4] or ARGV[4] == '' then
  return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'codec', ARGV[1], 'payload', ARGV[2], 't', now)
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'codec', ARGV[1], 'payload', ARGV[2], 't', now, 'sig', ARGV[4])
