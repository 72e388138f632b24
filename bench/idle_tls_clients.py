#!/usr/bin/env python3
"""Opens N TLS keep-alive connections to localhost:PORT (trusting CAFILE), sends one GET / on
each, reads the response head, writes READY_FILE, then holds them open until killed. Used by
bench/tls-load.sh to measure the server's memory per idle TLS connection."""
import socket
import ssl
import sys
import time

port, count, ready, cafile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
context = ssl.create_default_context(cafile=cafile)
request = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
held = []
for _ in range(count):
    s = context.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
    s.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit("server closed a connection")
        data += chunk
    held.append(s)
open(ready, "w").close()
while True:
    time.sleep(60)
