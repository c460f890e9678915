#!/usr/bin/env python3
"""TCP relay that records what passes: relay.py LISTEN_PORT UPSTREAM_PORT PREFIX.

Each connection to 127.0.0.1:LISTEN_PORT is joined to 127.0.0.1:UPSTREAM_PORT (a node's RTMP port); the encoder's
bytes go to PREFIX-N-c2s.bin and the node's to PREFIX-N-s2c.bin, N counting connections. Recording at the relay
rather than with tcpdump keeps the bytes exactly as the node's decoder sees them, without TCP framing to undo.
"""
import socket
import sys
import threading

listen_port, upstream_port, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def pump(src, dst, path):
    with open(path, "wb") as f:
        try:
            while data := src.recv(65536):
                f.write(data)
                f.flush()
                dst.sendall(data)
        except OSError:
            pass  # either side went away; the file holds what came before
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen_port))
server.listen(4)
n = 0
while True:
    client, _ = server.accept()
    n += 1
    upstream = socket.create_connection(("127.0.0.1", upstream_port))
    print("connection", n, flush=True)
    threading.Thread(target=pump, args=(client, upstream, f"{prefix}-{n}-c2s.bin"), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, f"{prefix}-{n}-s2c.bin"), daemon=True).start()
