#!/bin/bash
# sample.sh PID [INTERVAL]: prints seconds, VmRSS kB, threads, fds every INTERVAL s until PID ends
pid=$1; iv=${2:-5}; t0=$(date +%s)
while [ -d /proc/$pid ]; do
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status 2>/dev/null); th=$(awk '/Threads/{print $2}' /proc/$pid/status 2>/dev/null)
  fd=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
  echo "$(( $(date +%s) - t0 ))s rss=${rss}kB threads=$th fds=$fd"
  sleep $iv
done
