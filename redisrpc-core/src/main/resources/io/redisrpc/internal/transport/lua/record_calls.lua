local taken = {}
for i = 1, #KEYS do
  local entry = ARGV[3 * i - 2]
  local previous = redis.call('SET', KEYS[i], entry, 'NX', 'GET', 'PX', ARGV[3 * i - 1])
  if not previous or (ARGV[3 * i] == '1' and previous == entry) then
    taken[i] = 1
  else
    taken[i] = 0
  end
end
return taken
