local published
if ARGV[5] == '1' then
  published = redis.call('SPUBLISH', ARGV[1], ARGV[2])
else
  published = redis.call('PUBLISH', ARGV[1], ARGV[2])
end
if published > 0 then return 1 end
local ttl = tonumber(ARGV[4])
if not ttl or ttl <= 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[3], ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 2
