local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('ZCOUNT', KEYS[2], now, '+inf') == 0 then return {} end
local ids = {}
for i = 2, #ARGV, 3 do
  local ok, id
  if ARGV[i + 2] == '' then
    ok, id = pcall(redis.call, 'XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'codec', ARGV[i], 'payload', ARGV[i + 1], 't', now)
  else
    ok, id = pcall(redis.call, 'XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'codec', ARGV[i], 'payload', ARGV[i + 1], 't', now, 'sig', ARGV[i + 2])
  end
  if ok then ids[#ids + 1] = id else ids[#ids + 1] = '!' .. tostring(id.err or id) end
end
return ids
