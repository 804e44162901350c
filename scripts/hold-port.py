#!/usr/bin/env python3
"""Holds 127.0.0.1:PORT until one connection came and went, then lets it go.

scripts/real-caches.sh runs it while a cache that probes its upstream at
start (Squid) starts, before condspec's origin takes the port: the probe
finds something listening. Writes READY_FILE once listening; exits 0 after
the first connection closed (or stayed silent 2 s), 1 if none came within
10 s.

    hold-port.py PORT READY_FILE
"""
import socket
import sys


def main() -> int:
    port, ready_file = int(sys.argv[1]), sys.argv[2]
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(4)
    server.settimeout(10)
    with open(ready_file, "w") as ready:
        ready.write("listening\n")
    try:
        probe, _ = server.accept()
    except socket.timeout:
        return 1
    probe.settimeout(2)
    try:
        while probe.recv(4096):
            pass
    except (socket.timeout, ConnectionError):
        pass
    probe.close()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
