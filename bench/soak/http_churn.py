#!/usr/bin/env python3
"""Soak an HTTP server: requests on new connections, on keep-alive connections, failing handlers, slow
and vanishing clients. usage: http_churn.py PORT PID TOTAL (bench/soak/README.md)"""
import os, socket, sys, time, random, struct
from procstat import proc

def read_response(s, buf):
    while b"\r\n\r\n" not in buf:
        c = s.recv(65536)
        if not c: raise EOFError("head")
        buf += c
    head, _, rest = buf.partition(b"\r\n\r\n")
    n = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length": n = int(v)
    while len(rest) < n:
        c = s.recv(65536)
        if not c: raise EOFError("body")
        rest += c
    return int(head.split()[1]), rest[:n], rest[n:]

def req(path, body=b"", close=False):
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n" +
            ("Connection: close\r\n" if close else "") + "\r\n").encode() + body

def main():
    port, pid, total = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(2)
    print("before", proc(pid), flush=True)
    done, t0, statuses = 0, time.time(), {}
    slow = []
    while done < total:
        kind = rnd.randrange(10)
        if kind < 4:   # one request per new connection
            s = socket.create_connection(("127.0.0.1", port))
            path = rnd.choice(["/a", "/a", "/fail", "/bad"])
            s.sendall(req(path, b"x" * 100, close=True))
            st, _, _ = read_response(s, b"")
            statuses[st] = statuses.get(st, 0) + 1
            s.close(); done += 1
        elif kind < 8:  # keep-alive: 20 requests on one connection
            s = socket.create_connection(("127.0.0.1", port))
            buf = b""
            for _ in range(20):
                s.sendall(req(rnd.choice(["/a", "/a", "/a", "/fail"]), b"y" * 10))
                st, _, buf = read_response(s, buf)
                statuses[st] = statuses.get(st, 0) + 1
            if rnd.randrange(2):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close(); done += 20
        elif kind == 8:  # slow client: half a head, kept open a while, then dropped
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Le")
            slow.append(s)
            if len(slow) > 50:
                x = slow.pop(0)
                if rnd.randrange(2): x.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                x.close()
        else:  # vanish mid-body
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + b"z" * 300)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        if done // 2000 != getattr(main, "last", 0):
            main.last = done // 2000
            now = time.time()
            print(f"{done} reqs, {1000*(now-t0)/2000:.3f} ms/req", proc(pid), flush=True)
            t0 = now
    for x in slow: x.close()
    time.sleep(2)
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(req("/hits", close=True))
    print("statuses", statuses, "hits", read_response(s, b"")[1])
    print("after", proc(pid), flush=True)

main()
