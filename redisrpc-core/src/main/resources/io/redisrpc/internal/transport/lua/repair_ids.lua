if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local limit = now + tonumber(ARGV[2])
local MAX = '18446744073709551615-18446744073709551615'
local function parts(id) return string.match(id, '^(%d+)-(%d+)$') end
local function cmp(a, b)
  local am, as = parts(a)
  local bm, bs = parts(b)
  local function c(x, y)
    if #x ~= #y then return #x < #y and -1 or 1 end
    if x == y then return 0 end
    return x < y and -1 or 1
  end
  local r = c(am, bm)
  if r ~= 0 then return r end
  return c(as, bs)
end
local function ahead(id) return cmp(id, limit .. '-0') > 0 end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local generated = '0-0'
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then generated = info[i + 1] end
end
local delivered = '0-0'
local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', KEYS[1])
if ok then
  for _, g in ipairs(groups) do
    local f = {}
    for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
    if f['name'] == ARGV[1] then delivered = f['last-delivered-id'] end
  end
end
if not ahead(generated) and not ahead(delivered) then return 0 end
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local moved = nil
if top[1] and top[1][1] == MAX then
  if cmp(MAX, delivered) > 0 then moved = top[1][2] end
  redis.call('XDEL', KEYS[1], MAX)
  top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
end
if top[1] and ahead(top[1][1]) and generated ~= MAX then return -1 end
local last = now .. '-0'
if top[1] and cmp(top[1][1], last) > 0 then last = top[1][1] end
if cmp(generated, last) > 0 then redis.call('XSETID', KEYS[1], last, 'MAXDELETEDID', last) end
if ok and cmp(delivered, last) > 0 then redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], last) end
if moved then redis.call('XADD', KEYS[1], '*', unpack(moved)) end
return 1
