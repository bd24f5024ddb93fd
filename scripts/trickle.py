#!/usr/bin/env python3
"""Slowloris against a running server: COUNT sockets, half plain HTTP and half TLS (after the handshake),
each sending one byte of a request header a second for up to SECONDS. Prints how many are still open (and,
with --pid, how many descriptors the server holds) as it goes, and when the server closed them.

    scripts/trickle.py --http 127.0.0.1:8080 --https 127.0.0.1:8443 --cafile hallmark-data/ca/root.pem \\
        --count 500 --seconds 60 --pid "$(pgrep -f 'hallmark.jar serve')"
"""
import argparse
import os
import select
import socket
import ssl
import time


def address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--http", type=address, required=True)
    p.add_argument("--https", type=address, required=True)
    p.add_argument("--cafile", required=True)
    p.add_argument("--count", type=int, default=500)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--pid", help="the server's process id, to count its descriptors")
    a = p.parse_args()

    header = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 400 + b"\r\n\r\n"
    tls = ssl.create_default_context(cafile=a.cafile)
    socks = []
    for i in range(a.count):
        if i % 2:
            s = tls.wrap_socket(socket.create_connection(a.https), server_hostname=a.https[0])
        else:
            s = socket.create_connection(a.http)
        s.setblocking(False)
        socks.append(s)
    opened = time.time()
    print(f"{a.count} sockets open", flush=True)
    closed = {}
    sent = 0
    while time.time() - opened < a.seconds and len(closed) < a.count:
        for i, s in enumerate(socks):
            if i in closed:
                continue
            try:
                s.send(header[sent % len(header):sent % len(header) + 1])
            except (ssl.SSLWantWriteError, BlockingIOError):
                pass
            except OSError:
                closed[i] = time.time() - opened
        sent += 1
        second = time.time() + 1
        while time.time() < second and len(closed) < a.count:
            live = [s for i, s in enumerate(socks) if i not in closed]
            readable, _, _ = select.select(live, [], [], max(0, second - time.time()))
            for s in readable:
                try:
                    data = s.recv(100)
                except (ssl.SSLWantReadError, BlockingIOError):
                    continue  # a TLS record without data (a session ticket): still open
                except (OSError, ssl.SSLError):
                    data = b""
                if not data:  # closed (or answered: that ends the trickle too)
                    closed[socks.index(s)] = time.time() - opened
        if sent % 4 == 0 or len(closed) == a.count:
            fds = f" server fds={len(os.listdir(f'/proc/{a.pid}/fd'))}" if a.pid else ""
            print(f"t={time.time() - opened:5.1f}s open={a.count - len(closed)}{fds}", flush=True)
    times = sorted(closed.values())
    if times:
        print(f"closed {len(times)}/{a.count}: {times[0]:.1f} to {times[-1]:.1f} s after the last socket opened")
    else:
        print(f"closed 0/{a.count}")


if __name__ == "__main__":
    main()
