#!/usr/bin/python3
"""A stand-in for an aioredis-rpc 1.1.0 peer, for redisrpc's interop tests.

It speaks the seed's wire format with only the ``msgpack`` and ``redis`` (redis.asyncio) modules,
as Debian packages them (python3-msgpack 1.0.3, python3-redis 4.3.4): no pydantic, no aioredis.

Modes (every line it prints on stdout is one JSON object, the first of a peer "ready"):

  server URL QUEUE      Serves the seed's Dropbox example on QUEUE as the seed's RpcServer does:
                        exceptions become the error map, an unknown method gets no reply at all.
                        Prints one "request" event per message (with "exact": whether packing the
                        unpacked message gives its bytes back). Stops when stdin closes.
  client URL QUEUE      Calls a Dropbox server on QUEUE as the seed's RpcClient does, through a
                        fixed list of steps, printing one "step" event each, then "done".
  repack                Reads "label hex" lines on stdin until EOF and prints, for each, whether
                        unpacking and packing again (with the seed's ext types) gives the same bytes.
"""

import asyncio
import datetime
import json
import struct
import sys
import uuid

import msgpack
import redis.asyncio as aioredis

DATETIME_EXT_ID = 23
UUID_EXT_ID = 25


# ----------------------------------------------------------------------------- the seed's codec

def ext_default(data):
    if isinstance(data, datetime.datetime):
        # The seed packs with struct 'd' (native order): little-endian on every platform it runs on.
        return msgpack.ExtType(DATETIME_EXT_ID, struct.pack('<d', data.timestamp()))
    if isinstance(data, uuid.UUID):
        return msgpack.ExtType(UUID_EXT_ID, data.bytes)
    raise TypeError('cannot encode %s' % type(data))


def ext_hook(code, data):
    if code == DATETIME_EXT_ID:
        return datetime.datetime.fromtimestamp(struct.unpack('<d', data)[0])
    if code == UUID_EXT_ID:
        return uuid.UUID(bytes=data)
    raise TypeError('cannot decode field %s' % code)


def pack(data):
    return msgpack.packb(data, default=ext_default, use_bin_type=True)


def unpack(data):
    return msgpack.unpackb(data, ext_hook=ext_hook, raw=False)


def message(id_, reply_to, name, args=(), kwargs=None, result=None, error=None):
    """An RpcMessage's dict(), keys in the order of its fields."""
    return {
        'id': id_,
        'reply_to': reply_to,
        'name': name,
        'args': list(args),
        'kwargs': dict(kwargs or {}),
        'result': result,
        'error': error,
    }


def emit(**event):
    print(json.dumps(event, default=jsonable, sort_keys=True), flush=True)


def jsonable(value):
    if isinstance(value, bytes):
        return {'bytes': value.hex()}
    if isinstance(value, datetime.datetime):
        return {'timestamp': value.timestamp()}
    if isinstance(value, uuid.UUID):
        return {'uuid': str(value)}
    raise TypeError(type(value))


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- the Dropbox example

class Dropbox:
    """The seed README's example, with pydantic's FileData as a dict {name, data}."""

    def __init__(self, max_files=2):
        self.files = {}
        self.max_files = max_files

    @staticmethod
    def _file(value):
        # What pydantic's FileData would check.
        if not isinstance(value, dict) or not isinstance(value.get('name'), str) \
                or not isinstance(value.get('data'), bytes):
            raise TypeError('file must be a FileData {name: str, data: bytes}, not %r' % (value,))
        return {'name': value['name'], 'data': value['data']}

    async def upload_file(self, file):
        file = self._file(file)
        if len(self.files) >= self.max_files:
            # Errors are propagated to the client-side
            raise Exception('too many files')
        self.files[file['name']] = file
        return len(file['data'])

    async def get_file_names(self):
        return list(self.files)

    async def download_file(self, name):
        return self.files[name]

    async def tag_file(self, name, tag, at):
        if not isinstance(tag, uuid.UUID):
            raise TypeError('tag must be a UUID, not %r' % (tag,))
        if not isinstance(at, datetime.datetime):
            raise TypeError('at must be a datetime, not %r' % (at,))
        return {'name': name, 'tag': tag, 'at': at, 'size': len(self.files[name]['data'])}


# ----------------------------------------------------------------------------- server

async def serve(url, queue):
    box = Dropbox(max_files=2)
    endpoints = {
        'upload_file': box.upload_file,
        'get_file_names': box.get_file_names,
        'download_file': box.download_file,
        'tag_file': box.tag_file,
    }
    redis = aioredis.from_url(url)
    channel = redis.pubsub()
    await channel.subscribe(queue)
    emit(event='ready', mode='server', queue=queue)
    try:
        while True:
            item = await channel.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if item is None:
                continue
            data = item['data']
            obj = unpack(data)
            exact = pack(obj) == data
            if not exact:
                log('request repacks differently:', data.hex(), pack(obj).hex())
            name = obj['name']
            emit(event='request', name=name, exact=exact, args=len(obj['args']),
                 kwargs=sorted(obj['kwargs']), reply_to=obj['reply_to'], id=obj['id'])
            endpoint = endpoints.get(name)
            if endpoint is None:
                # The seed's server: KeyError in receive(), logged, and no reply at all.
                log('no endpoint', name)
                emit(event='unknown', name=name)
                continue
            try:
                result = await endpoint(*obj['args'], **obj['kwargs'])
                reply = message(obj['id'], None, name, result=result)
            except Exception as e:  # noqa: BLE001 - as the seed's RpcServer.receive
                reply = message(obj['id'], None, name,
                                error={'msg': str(e), 'error_class': type(e).__name__})
            await redis.publish(obj['reply_to'], pack(reply))
    finally:
        await channel.close()
        await redis.close()


# ----------------------------------------------------------------------------- client

class RpcError(Exception):
    pass


class RpcNotConnectedError(RpcError):
    pass


class Client:
    """The seed's RpcClient: publish on the queue, replies on rpc_client.<uuid1 hex>."""

    def __init__(self, url, queue, timeout):
        self.url = url
        self.queue = queue
        self.timeout = timeout
        self.reply_to = 'rpc_client.' + uuid.uuid1().hex
        self.pending = {}
        self.inexact = []

    async def connect(self):
        self.redis = aioredis.from_url(self.url)
        self.channel = self.redis.pubsub()
        await self.channel.subscribe(self.reply_to)
        self.reader = asyncio.create_task(self._read())

    async def _read(self):
        while True:
            item = await self.channel.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if item is None:
                continue
            data = item['data']
            obj = unpack(data)
            if pack(obj) != data:
                log('reply repacks differently:', data.hex(), pack(obj).hex())
                self.inexact.append(obj['name'])
            future = self.pending.pop(obj['id'], None)
            if future is not None and not future.done():
                future.set_result(obj)

    async def call(self, name, /, *args, **kwargs):
        msg = message(uuid.uuid1().hex, self.reply_to, name, args, kwargs)
        future = asyncio.get_running_loop().create_future()
        self.pending[msg['id']] = future
        if await self.redis.publish(self.queue, pack(msg)) == 0:
            self.pending.pop(msg['id'], None)
            raise RpcNotConnectedError('remote endpoint not connected')
        try:
            reply = await asyncio.wait_for(future, self.timeout)
        finally:
            self.pending.pop(msg['id'], None)
        if reply['error']:
            e = reply['error']
            raise RpcError('Remote RPC error: %s %s (from %s)' % (e['error_class'], e['msg'], name))
        return reply['result']

    async def close(self):
        self.reader.cancel()
        try:
            await self.reader
        except asyncio.CancelledError:
            pass
        await self.channel.close()
        await self.redis.close()


async def run_client(url, queue):
    client = Client(url, queue, timeout=10.0)
    await client.connect()
    emit(event='ready', mode='client', queue=queue)
    tag = uuid.UUID('12345678-1234-5678-9abc-def012345678')
    at = datetime.datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=datetime.timezone.utc)
    steps = [
        ('upload_file1', 'upload_file', ({'name': 'file1', 'data': b'1234'},), {}),
        ('upload_file2_kwargs', 'upload_file', (), {'file': {'name': 'file2', 'data': b'\x00\xff'}}),
        ('upload_file3_too_many', 'upload_file', ({'name': 'file3', 'data': b''},), {}),
        ('get_file_names', 'get_file_names', (), {}),
        ('download_file1', 'download_file', ('file1',), {}),
        ('download_missing_kwargs', 'download_file', (), {'name': 'missing'}),
        ('tag_file1', 'tag_file', ('file1', tag, at), {}),
        ('unknown_method', 'delete_file', ('file1',), {}),
        ('too_many_args', 'download_file', ('file1', 'extra'), {}),
    ]
    try:
        for step, name, args, kwargs in steps:
            try:
                result = await client.call(name, *args, **kwargs)
                emit(event='step', step=step, result=result)
            except asyncio.TimeoutError:
                emit(event='step', step=step, error='timeout')
            except RpcError as e:
                emit(event='step', step=step, error=str(e), error_type=type(e).__name__)
        emit(event='done', inexact=client.inexact)
    finally:
        await client.close()


# ----------------------------------------------------------------------------- repack

def repack():
    emit(event='ready', mode='repack')
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        label, hexdata = line.split()
        data = bytes.fromhex(hexdata)
        try:
            again = pack(unpack(data))
            emit(event='repack', label=label, exact=again == data, hex=again.hex())
        except Exception as e:  # noqa: BLE001
            emit(event='repack', label=label, exact=False, error=repr(e))
    emit(event='done')


# ----------------------------------------------------------------------------- main

async def serve_until_stdin_closes(url, queue):
    server = asyncio.create_task(serve(url, queue))
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    done, _ = await asyncio.wait({server, stdin_closed}, return_when=asyncio.FIRST_COMPLETED)
    if server in done:
        server.result()  # raises what failed
        return
    server.cancel()
    try:
        await server
    except asyncio.CancelledError:
        pass


def main(argv):
    mode = argv[1] if len(argv) > 1 else ''
    if mode == 'server' and len(argv) == 4:
        asyncio.run(serve_until_stdin_closes(argv[2], argv[3]))
    elif mode == 'client' and len(argv) == 4:
        asyncio.run(run_client(argv[2], argv[3]))
    elif mode == 'repack' and len(argv) == 2:
        repack()
    else:
        log(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
