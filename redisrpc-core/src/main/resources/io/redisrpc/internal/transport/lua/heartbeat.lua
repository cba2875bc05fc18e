local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local expiry = now + ttl
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] and tonumber(last[2]) > expiry then expiry = tonumber(last[2]) end
redis.call('PEXPIREAT', KEYS[1], expiry + ttl)
if ARGV[3] ~= '' then pcall(redis.call, 'XGROUP', 'CREATE', KEYS[2], ARGV[3], '0', 'MKSTREAM') end
local described = 1
if KEYS[4] then
  if ARGV[4] and ARGV[4] ~= '' then
    pcall(redis.call, 'SET', KEYS[4], ARGV[4], 'PX', ttl * 2)
  else
    local ok, n = pcall(redis.call, 'PEXPIRE', KEYS[4], ttl * 2)
    if ok and n == 0 then described = 0 end
  end
  if #ARGV >= 6 then
    pcall(redis.call, 'HSET', KEYS[3], 'heartbeat_at', now, 'expires_at', now + ttl, unpack(ARGV, 5))
    pcall(redis.call, 'PEXPIRE', KEYS[3], ttl)
  end
end
return {now, described}
