#!/usr/bin/env bash
# Memory per idle virtual user, and how many one process holds: `users` users with a long think
# time against nginx, started at `spawn_rate` per second and then all at once. memory_bench reads
# its own VmRSS before the run (0 users) and at its peak during it, its CPU time and when the
# last user started. Goal: <= 4 KiB per idle user at 10,000 users; 100,000 users from one
# process (the second line below).
#   bash perf/bench/memory.sh [users=10000] [think_seconds=10] [seconds=14] [spawn_rate=5000]
#   bash perf/bench/memory.sh 100000 20 32 10000
# Past 25,000 users the connections leave from several loopback source addresses (127.0.0.2, ...),
# 25,000 each, because one address pair has ~28,000 ephemeral ports. Every held connection is a
# descriptor: when the users need more than the hard limit allows (ulimit -Hn; raising it needs
# CAP_SYS_RESOURCE), the users close their connections while they think (close_idle_after 1 s),
# so that only the connections open at once count, and the bench says so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/throughput_nginx.sh"
users=${1:-10000}
think=${2:-10}
seconds=${3:-14}
spawn_rate=${4:-5000}
bench=$(find_bench memory_bench)

descriptors=$((users + 1100))  # per process: the bench's sockets, or nginx's
if (( $(ulimit -Hn) < descriptors )); then ulimit -Hn "$descriptors" 2>/dev/null || true; fi
close_idle_after=-1
if (( $(ulimit -Hn) < descriptors )); then
  close_idle_after=1
  echo "the descriptor hard limit is $(ulimit -Hn), below the $descriptors that $users held connections need, and"
  echo "cannot be raised here: the users close their connections while they think (close_idle_after 1 s)"
fi
ulimit -n "$(( $(ulimit -Hn) < descriptors ? $(ulimit -Hn) : descriptors ))"
sources=""
if (( users > 25000 )); then
  for ((i = 0; i < (users + 24999) / 25000; ++i)); do sources+="${sources:+,}127.0.0.$((i + 2))"; done
fi

start_nginx $(( users + 1000 < $(ulimit -Hn) - 100 ? users + 1000 : $(ulimit -Hn) - 100 ))
url="http://127.0.0.1:$NGINX_PORT/"
echo "nginx 1 worker on $url (CPU 0); $users users, ${think}s think time, ${seconds}s, the bench on CPU 1${sources:+, from $sources}"
one_run() {  # spawn_rate
  taskset -c 1 "$bench" "$url" "$users" "$think" "$seconds" "$1" "$sources" "$close_idle_after" | sed 's/^/  /'
}
echo "--- started at ${spawn_rate}/s (users idle in their think time: the figure the goal is about)"
one_run "$spawn_rate"
if (( close_idle_after < 0 )); then
  echo "--- all at once (every user's first request in flight together: the peak holds a request per user)"
  one_run 0
fi
