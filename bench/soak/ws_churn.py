#!/usr/bin/env python3
"""Soak a WebSocket server: churn connections (sequential and bursts), mixing clean closes, resets
(SO_LINGER 0) and clients that vanish mid-frame. Prints the server's /proc numbers as it goes.
usage: ws_churn.py PORT PID TOTAL [BURST] (bench/soak/README.md)"""
import base64, os, socket, struct, sys, time, threading, random
from procstat import proc

def frame(payload, opcode=1):
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126: head += bytes([0x80 | n])
    elif n < 65536: head += bytes([0x80 | 126]) + struct.pack(">H", n)
    else: head += bytes([0x80 | 127]) + struct.pack(">Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c: raise EOFError
        b += c
    return b

def read_frame(s):
    h = recv_exact(s, 2)
    n = h[1] & 0x7f
    if n == 126: n = struct.unpack(">H", recv_exact(s, 2))[0]
    elif n == 127: n = struct.unpack(">Q", recv_exact(s, 8))[0]
    return h[0] & 0x0f, recv_exact(s, n)

def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /chat HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    resp = b""
    while b"\r\n\r\n" not in resp:
        c = s.recv(4096)
        if not c: raise EOFError("handshake")
        resp += c
    assert resp.startswith(b"HTTP/1.1 101"), resp[:100]
    return s

def one(port, mode):
    s = connect(port)
    s.sendall(frame(b"hello"))
    op, data = read_frame(s)
    assert op == 1, (op, data)
    if mode == 0:  # clean close
        s.sendall(frame(struct.pack(">H", 1000), opcode=8))
        try:
            while True:
                op, _ = read_frame(s)
                if op == 8: break
        except (EOFError, ConnectionError): pass
        s.close()
    elif mode == 1:  # reset
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    else:  # vanish mid-frame: half a frame, then a plain close (FIN) or a reset
        f = frame(b"x" * 200)
        s.sendall(f[:50])
        if mode == 3:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()

def size(port):
    s = connect(port)
    s.sendall(frame(b"?size"))
    _, data = read_frame(s)
    s.sendall(frame(struct.pack(">H", 1000), opcode=8))
    s.close()
    return data.decode()

def main():
    port, pid, total = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    burst = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    print("before", proc(pid), flush=True)
    done, t0, errors = 0, time.time(), 0
    rnd = random.Random(1)
    while done < total:
        n = min(burst, total - done)
        modes = [rnd.randrange(4) for _ in range(n)]
        if n == 1:
            try: one(port, modes[0])
            except Exception as e: errors += 1; print("err", repr(e))
        else:
            errs = []
            def run(m):
                try: one(port, m)
                except Exception as e: errs.append(repr(e))
            ts = [threading.Thread(target=run, args=(m,)) for m in modes]
            for t in ts: t.start()
            for t in ts: t.join()
            errors += len(errs)
            if errs: print("errs", errs[:3])
        done += n
        if done % 2000 < n:
            now = time.time()
            print(f"{done} conns, {1000*(now-t0)/2000:.2f} ms/conn", proc(pid), flush=True)
            t0 = now
    time.sleep(1)
    print("after", proc(pid), "errors", errors, size(port), flush=True)

main()
