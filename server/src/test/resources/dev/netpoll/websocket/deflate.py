"""python3-websockets with permessage-deflate (its default offer) against Netpoll's /echo.

Usage: deflate.py URI. Prints the negotiated extension header and "ALL OK".
"""
import asyncio
import sys

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory


async def main(uri):
    factory = ClientPerMessageDeflateFactory(client_max_window_bits=True)
    async with websockets.connect(uri, extensions=[factory], max_size=2**20) as ws:
        print("negotiated:", ws.response_headers.get("Sec-WebSocket-Extensions"))
        assert [type(e).__name__ for e in ws.extensions] == ["PerMessageDeflate"], ws.extensions
        for i in range(20):
            text = ("compress me %d " % i) * 200
            await ws.send(text)
            assert await ws.recv() == text
        blob = bytes(range(256)) * 50
        await ws.send(blob)
        assert await ws.recv() == blob
        await ws.send(["frag", "mented ", "and ", "compressed"])
        assert await ws.recv() == "fragmented and compressed"
        await ws.send("")
        assert await ws.recv() == ""
        await ws.close()
    print("ALL OK")


asyncio.run(main(sys.argv[1]))
