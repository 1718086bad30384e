#!/usr/bin/env python3
"""Soak the piped REPL (bench/soak/README.md): N entries (lets, function redefinitions, records, a WebSocket and an HTTP server
started and stopped), timing each block of 500 and sampling the REPL's /proc. usage: repl.py N"""
import os, subprocess, sys, time
from procstat import proc

def entries(i):
    k = i % 10
    if i % 25 == 24: k = 4
    if k == 0: return [f"let v{i} = {i} * 2"]
    if k == 1: return [f"fn f(x: int) -> int = x + {i}", "f(1)"]
    if k == 2: return [f"type R{i % 50} = {{ a: int, b: string }}", f"let r = R{i % 50} {{ a: {i}, b: \"x\" }}", "r.a"]
    if k == 3: return [f"mut m{i % 7}: Map<int, string> = {{}}", f"m{i % 7} = set(map: m{i % 7}, key: {i}, value: \"v\")"]
    if k == 4:  # a server started and stopped: 1 in 25 steps, 200 times in 5,000
        return ["let ws = websocketCreateServer(port: 0, address: \"127.0.0.1\", path: \"/x\") ?: -1",
                "websocketServerListen(serverID: ws)", "websocketStopServer(serverID: ws)",
                "let hs = httpCreateServer(port: 0, address: \"127.0.0.1\") ?: -1",
                "httpListen(serverID: hs, handler: fn(m, p, h, b) => HttpResponse { status: 200, headers: \"\", contentType: \"text/plain\", streamFd: -1, isComplete: true, partialBody: \"ok\" })",
                "httpStopServer(serverID: hs)"]
    if k == 5: return [f"let xs = range(0, 100) |> map(fn(x) => x * {i})", "length(toList(xs))"]
    if k == 6: return [f"fn g{i % 20}(s: string) -> string = s + \"{i}\"", f"g{i % 20}(\"a\")"]
    if k == 7: return [f"let s = \"entry {i}\"", "length(s)"]
    if k == 8: return [f"{i} + 1"]
    return [f"let t = {{ \"k\": {i} }}"]

def main():
    n = int(sys.argv[1])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    work = os.environ.get("SOAK_DIR", "/tmp")
    p = subprocess.Popen([os.path.join(root, "scripts/osprey")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=open(os.path.join(work, "repl_soak.err"), "w"), text=True, bufsize=1, cwd=work)
    count, t0 = 0, time.time()
    out = open(os.path.join(work, "repl_soak.out"), "w")
    for i in range(n):
        for e in entries(i):
            p.stdin.write(e + "\n"); count += 1
        if (i + 1) % 500 == 0:
            p.stdin.write(f"print(\"mark {i + 1}\")\n"); p.stdin.flush(); count += 1
            while True:
                line = p.stdout.readline()
                if not line: print("REPL ended"); return
                out.write(line)
                if line.strip() == f"mark {i + 1}": break
            now = time.time()
            print(f"{i + 1} steps {count} entries: {1000 * (now - t0) / 500:.2f} ms/step", proc(p.pid), flush=True)
            if (i + 1) % 1000 == 0:
                j = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin/jcmd")
                subprocess.run([j, str(p.pid), "GC.run"], capture_output=True)
                heap = subprocess.run([j, str(p.pid), "GC.heap_info"], capture_output=True, text=True).stdout
                print("   after a full GC:", " ".join(l.split("used")[1].split("[")[0].strip() for l in heap.splitlines() if "total" in l), flush=True)
                subprocess.run(f"{j} {p.pid} GC.class_histogram > {work}/repl_soak.histo.{i + 1}", shell=True)
            t0 = time.time()
    p.stdin.close(); p.wait()
    print("exit", p.returncode)

main()
