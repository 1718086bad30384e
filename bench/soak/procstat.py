"""What the soak clients print of the process they drive: its resident memory, threads and open descriptors."""
import os


def proc(pid):
    d = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "Threads"): d[k] = v.strip()
    d["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return d
