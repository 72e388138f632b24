#!/usr/bin/env python3
"""Opens N h2c connections (prior knowledge) to 127.0.0.1:PORT, sends one GET / on each, reads
until the response's stream ends, writes READY_FILE, then holds them open until killed. Used by
bench/h2-load.sh to measure the memory of idle HTTP/2 connections. Frames are written by hand
(no python3-h2 needed): the preface, an empty SETTINGS, the ACK of the server's, and a HEADERS
frame whose block uses only HPACK static-table indexes and one literal."""
import selectors
import socket
import struct
import sys
import time

port, count, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


authority = b"127.0.0.1"
# :method GET (2), :scheme http (6), :path / (4), :authority literal without indexing (name index 1).
block = bytes([0x82, 0x86, 0x84, 0x01, len(authority)]) + authority
hello = (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(0x4, 0, 0) + frame(0x4, 0x1, 0)
         + frame(0x1, 0x4 | 0x1, 1, block))


def stream_ended(data):
    """Whether a DATA or HEADERS frame with END_STREAM on stream 1 is among the frames in data."""
    at = 0
    while at + 9 <= len(data):
        length = int.from_bytes(data[at:at + 3], "big")
        kind, flags = data[at + 3], data[at + 4]
        stream = int.from_bytes(data[at + 5:at + 9], "big") & 0x7FFFFFFF
        if stream == 1 and kind in (0x0, 0x1) and flags & 0x1:
            return True
        at += 9 + length
    return False


sel = selectors.DefaultSelector()
socks = []
received = {}
pending = 0
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(hello)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    received[s] = b""
    socks.append(s)
    pending += 1
    while pending > 500 or (i == count - 1 and pending > 0):
        for key, _ in sel.select(timeout=10):
            data = key.fileobj.recv(65536)
            received[key.fileobj] += data
            if stream_ended(received[key.fileobj]) or not data:
                sel.unregister(key.fileobj)
                pending -= 1
open(ready, "w").close()
while True:
    time.sleep(60)
