"""An independent WebSocket client (Debian's python3-websockets) against Netpoll's /echo.

Usage: client.py URI [CAFILE]. Prints one line per check and "ALL OK" at the end; any failure
raises and exits non-zero.
"""
import asyncio
import ssl
import sys

import websockets


async def main(uri, cafile):
    context = None
    if cafile:
        context = ssl.create_default_context(cafile=cafile)
    async with websockets.connect(uri, ssl=context, max_size=2**20, compression=None) as ws:
        await ws.send("hello from python")
        assert await ws.recv() == "hello from python"
        print("text echoed")

        payload = bytes(range(256)) * 100
        await ws.send(payload)
        assert await ws.recv() == payload
        print("binary echoed")

        # An iterable is sent as one message in fragments (a text frame and continuations).
        await ws.send(["frag", "mented ", "mess", "age"])
        assert await ws.recv() == "fragmented message"
        print("fragmented message echoed")

        pong = await ws.ping(b"probe")
        await asyncio.wait_for(pong, 5)
        print("ping answered")

        await ws.close(code=1000, reason="done")
        assert ws.close_code == 1000, ws.close_code
        print("closed with", ws.close_code)
    print("ALL OK")


asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
