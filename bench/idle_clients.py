#!/usr/bin/env python3
"""Opens N keep-alive connections to 127.0.0.1:PORT, sends one GET / on each, reads the
response, writes READY_FILE, then holds them open until killed. Used by bench/load.sh."""
import selectors
import socket
import sys
import time

port, count, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sel = selectors.DefaultSelector()
socks = []
request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
pending = 0
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(request)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    socks.append(s)
    pending += 1
    # Keep the accept backlog short: collect answers as we go.
    while pending > 500 or (i == count - 1 and pending > 0):
        for key, _ in sel.select(timeout=10):
            data = key.fileobj.recv(4096)
            if b"\r\n\r\n" in data:
                sel.unregister(key.fileobj)
                pending -= 1
open(ready, "w").close()
while True:
    time.sleep(60)
