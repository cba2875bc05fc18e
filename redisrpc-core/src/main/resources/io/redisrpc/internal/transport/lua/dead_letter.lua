redis.call('XADD', KEYS[2], 'MAXLEN', '~', 10000, '*', 'id', ARGV[2], 'codec', ARGV[3], 'payload', ARGV[4], 'deliveries', ARGV[5], 'error', ARGV[6])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
