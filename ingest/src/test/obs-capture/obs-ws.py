#!/usr/bin/env python3
"""Sends one obs-websocket 5 request without data: obs-ws.py PORT REQUEST (e.g. StopStream).

Stopping the stream through OBS itself, rather than killing OBS, is what makes it send FCUnpublish and deleteStream.
Written against the bare socket so the capture needs nothing beyond Python's standard library; no authentication
(the capture profile turns it off).
"""
import base64
import json
import os
import socket
import struct
import sys

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
sock.sendall((
    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Protocol: obswebsocket.json\r\n\r\n").encode())
pending = b""
while b"\r\n\r\n" not in pending:
    pending += sock.recv(4096)
pending = pending.split(b"\r\n\r\n", 1)[1]


def receive():
    global pending
    while True:
        if len(pending) >= 2:
            size, at = pending[1] & 0x7F, 2
            if size == 126:
                size, at = struct.unpack(">H", pending[2:4])[0], 4
            elif size == 127:
                size, at = struct.unpack(">Q", pending[2:10])[0], 10
            if len(pending) >= at + size:
                frame, pending = pending[at:at + size], pending[at + size:]
                return json.loads(frame)
        pending += sock.recv(4096)


def send(message):
    body = json.dumps(message).encode()
    mask = os.urandom(4)  # a client must mask its frames (RFC 6455 §5.3)
    length = bytes([0x80 | len(body)]) if len(body) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(body))
    sock.sendall(b"\x81" + length + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(body)))


receive()  # Hello
send({"op": 1, "d": {"rpcVersion": 1}})
receive()  # Identified
send({"op": 6, "d": {"requestType": sys.argv[2], "requestId": "1"}})
print(receive()["d"]["requestStatus"])
