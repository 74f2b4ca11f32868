#!/usr/bin/env bash
# Resident memory per idle virtual user: 10,000 users with a 10 s think time against nginx.
# memory_bench reads its own VmRSS (/proc/self/status) before the run (0 users) and at its peak
# during the run; this script also samples it from outside. Goal: <= 10 KiB per user.
#   bash perf/bench/memory.sh [users=10000] [think_seconds=10] [seconds=12]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/throughput_nginx.sh"
users=${1:-10000}
think=${2:-10}
seconds=${3:-12}
bench=$(find_bench memory_bench)

start_nginx $((users + 1000))
url="http://127.0.0.1:$NGINX_PORT/"
echo "nginx 1 worker on $url; $users users, ${think}s think time, ${seconds}s"
taskset -c 1 "$bench" "$url" "$users" "$think" "$seconds" &
pid=$!
baseline=$(rss_kib "$pid")
peak=$baseline
while kill -0 "$pid" 2>/dev/null; do
  now=$(rss_kib "$pid" 2>/dev/null || echo 0)
  (( now > peak )) && peak=$now
  sleep 0.5
done
wait "$pid"
echo "=== outside view: VmRSS at start $baseline KiB, peak $peak KiB"
echo "(the bench's own figure above subtracts the RSS measured just before the run started)"
