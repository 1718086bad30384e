#!/usr/bin/env python3
"""Start-up of the osprey REPL on a terminal: the time from starting `scripts/osprey` on a pseudo-terminal
to its first prompt, and to the answer of `1 + 1` typed there. Prints the medians (and ranges) of RUNS runs.

    bench/startup/repl_start.py [RUNS]     (called by bench/startup/run.sh)
"""
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 20.0


def once():
    env = dict(os.environ, TERM="xterm-256color", OSPREY_HISTORY="")
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(os.path.join(ROOT, "scripts", "osprey"), ["osprey"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # a new pty has 0 columns
    screen, prompt, answer = b"", None, None
    try:
        while answer is None and time.monotonic() - start < TIMEOUT:
            ready, _, _ = select.select([fd], [], [], 1.0)
            if not ready:
                continue
            try:
                screen += os.read(fd, 4096)
            except OSError:
                break
            if prompt is None and b"osprey> " in screen:
                prompt = time.monotonic() - start
                screen = b""
                os.write(fd, b"1 + 1\r")
            elif prompt is not None and b"Success(2)" in screen:
                answer = time.monotonic() - start
                os.write(fd, b":quit\r")
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    if answer is None:
        sys.exit("bench/startup: the REPL did not answer within %.0f s; its screen: %r" % (TIMEOUT, screen[-500:]))
    return prompt, answer


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    once()  # builds and prepares the fast-start runtime if needed
    prompts, answers = [], []
    for _ in range(runs):
        p, a = once()
        prompts.append(p)
        answers.append(a)
    for name, values in (("osprey REPL: first prompt", prompts), ("osprey REPL: answer to 1 + 1", answers)):
        print("%-42s %10.2f s  [%.2f-%.2f]" % (name, statistics.median(values), min(values), max(values)))


if __name__ == "__main__":
    main()
